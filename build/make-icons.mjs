// Makes the Windows (.ico) and macOS (.icns) icons from build/icons/512x512.png, offline.
// Run after changing the PNG: `npm run icons`; the results are committed beside it.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import png2icons from 'png2icons';

const iconsDir = path.join(import.meta.dirname, 'icons');
const png = readFileSync(path.join(iconsDir, '512x512.png'));

// Bicubic scaling; the ICO holds PNG-compressed sizes up to 256 (what Windows shows).
const icns = png2icons.createICNS(png, png2icons.BICUBIC, 0);
const ico = png2icons.createICO(png, png2icons.BICUBIC, 0, true, true);
if (icns === null || ico === null) throw new Error('png2icons could not read 512x512.png');
writeFileSync(path.join(iconsDir, 'icon.icns'), icns);
writeFileSync(path.join(iconsDir, 'icon.ico'), ico);
console.log(`icon.icns ${icns.length} bytes, icon.ico ${ico.length} bytes`);
