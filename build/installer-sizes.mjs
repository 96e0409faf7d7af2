// Prints a Markdown table of the installers found in the given folders (name, platform, size),
// for the packaging workflow's job summary and the draft release's notes: installers cannot be
// built on the offline lab machines, so their sizes are only ever measured there.
//
// usage: node build/installer-sizes.mjs DIR...   (exits 1 when no installer is found)
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const KINDS = [
  { extension: '.AppImage', platform: 'Linux (AppImage)' },
  { extension: '.deb', platform: 'Linux (deb)' },
  { extension: '.exe', platform: 'Windows' },
  { extension: '.dmg', platform: 'macOS' },
];

/** The installers directly inside `dirs`, with their platform and size in bytes. */
export function findInstallers(dirs) {
  return dirs
    .flatMap((dir) =>
      readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => path.join(dir, entry.name)),
    )
    .flatMap((file) => {
      const kind = KINDS.find((k) => file.endsWith(k.extension));
      if (kind === undefined) return [];
      const name = path.basename(file);
      const arch = /\b(arm64|x64|x86_64|amd64|universal)\b/.exec(name)?.[1];
      const platform = kind.extension === '.dmg' && arch ? `macOS ${arch}` : kind.platform;
      return [{ name, platform, bytes: statSync(file).size }];
    })
    .sort((a, b) => a.platform.localeCompare(b.platform) || a.name.localeCompare(b.name));
}

/** Megabytes with one decimal (10^6 bytes, as the download pages of browsers show them). */
export function megabytes(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export function sizeTable(installers) {
  return [
    '| Installer | Platform | Size |',
    '| --- | --- | --- |',
    ...installers.map((i) => `| ${i.name} | ${i.platform} | ${megabytes(i.bytes)} |`),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dirs = process.argv.slice(2);
  const installers = dirs.length > 0 ? findInstallers(dirs) : [];
  if (installers.length === 0) {
    console.error(`no installer (${KINDS.map((k) => k.extension).join(', ')}) in ${dirs}`);
    process.exit(1);
  }
  console.log(sizeTable(installers));
}
