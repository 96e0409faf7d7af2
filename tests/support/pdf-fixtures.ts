import { createHash } from 'node:crypto';
import { nextObjectNumber, writePdf } from '../../main/core/demo/pdf-document';
import type { PdfPage } from '../../main/core/demo/pdf-document';

/** `count` pages reading "Page i of count", each with a coloured bar. */
export function numberedPages(count: number, title = 'Altar test PDF'): PdfPage[] {
  return Array.from({ length: count }, (_, index) => ({
    lines: [`Page ${index + 1} of ${count}`, title, 'Rendered by pdf.js in the renderer.'],
    bar: [0.2, 0.4, 0.9] as [number, number, number],
  }));
}

/** A valid PDF of `count` pages of text. */
export function multiPagePdf(count = 3): Buffer {
  return writePdf(numberedPages(count));
}

/** Bytes that claim nothing of PDF: pdf.js answers with an invalid-PDF error. */
export function brokenPdf(): Buffer {
  return Buffer.from('This is not a PDF, only a file named like one.\n', 'utf8');
}

// Standard security handler, revision 2 (RC4 40-bit): the smallest encryption pdf.js accepts.
const PASSWORD_PADDING = Buffer.from(
  '28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a',
  'hex',
);

function padded(password: string): Buffer {
  return Buffer.concat([Buffer.from(password, 'latin1'), PASSWORD_PADDING]).subarray(0, 32);
}

function rc4(key: Buffer, data: Buffer): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  let j = 0;
  for (let i = 0; i < 256; i++) {
    j = (j + (s[i] as number) + (key[i % key.length] as number)) & 0xff;
    [s[i], s[j]] = [s[j] as number, s[i] as number];
  }
  const out = Buffer.alloc(data.length);
  let i = 0;
  j = 0;
  for (let n = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + (s[i] as number)) & 0xff;
    [s[i], s[j]] = [s[j] as number, s[i] as number];
    out[n] = (data[n] as number) ^ (s[((s[i] as number) + (s[j] as number)) & 0xff] as number);
  }
  return out;
}

const md5 = (data: Buffer): Buffer => createHash('md5').update(data).digest();

/**
 * A PDF that needs a user password to open. Only the security dictionary is real: no viewer
 * gets past the password check, so the page content is left as plain text.
 */
export function passwordProtectedPdf(userPassword = 'secret', ownerPassword = 'owner'): Buffer {
  const pages = numberedPages(1, 'Locked');
  const id = md5(Buffer.from('altar-encrypted-fixture'));
  const permissions = -4;
  const ownerKey = md5(padded(ownerPassword)).subarray(0, 5);
  const owner = rc4(ownerKey, padded(userPassword));
  const p = Buffer.alloc(4);
  p.writeInt32LE(permissions);
  const key = md5(Buffer.concat([padded(userPassword), owner, p, id])).subarray(0, 5);
  const user = rc4(key, PASSWORD_PADDING);
  const encrypt = nextObjectNumber(pages.length);
  return writePdf(pages, {
    objects: [
      `<< /Filter /Standard /V 1 /R 2 /O <${owner.toString('hex')}> /U <${user.toString('hex')}> /P ${permissions} >>`,
    ],
    trailer: `/Encrypt ${encrypt} 0 R /ID [<${id.toString('hex')}> <${id.toString('hex')}>] `,
  });
}
