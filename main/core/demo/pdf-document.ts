/**
 * A minimal PDF writer (PDF 1.4, one Helvetica font, uncompressed streams) so demo runs carry a
 * real multi-page PDF artifact and tests can make PDFs without a PDF library.
 */
export interface PdfPage {
  /** Lines of text, top to bottom; characters outside printable ASCII become "?". */
  lines: string[];
  /** A filled bar under the title, in RGB 0..1: something to see even without fonts. */
  bar?: [number, number, number];
}

export interface PdfExtras {
  /** More `<< ... >>` objects, numbered after the document's own ones (see `nextObjectNumber`). */
  objects?: string[];
  /** Extra trailer entries, e.g. `/Encrypt 9 0 R /ID [<...> <...>]`. */
  trailer?: string;
}

const PAGE_WIDTH = 595;
const PAGE_HEIGHT = 842;

/** The number the first of `PdfExtras.objects` gets, for a document of `pageCount` pages. */
export function nextObjectNumber(pageCount: number): number {
  // catalog, pages, font, then a page and a content stream per page.
  return 4 + pageCount * 2;
}

export function writePdf(pages: PdfPage[], extras: PdfExtras = {}): Buffer {
  if (pages.length === 0) throw new Error('a PDF needs at least one page');
  const pageObject = (index: number) => 4 + index * 2;
  const objects: string[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Count ${pages.length} /Kids [${pages.map((_, i) => `${pageObject(i)} 0 R`).join(' ')}] >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ];
  pages.forEach((page, index) => {
    const content = pageContent(page);
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageObject(index) + 1} 0 R >>`,
      `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    );
  });
  objects.push(...(extras.objects ?? []));

  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xrefAt = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${extras.trailer ?? ''}>>\n`;
  body += `startxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

function pageContent(page: PdfPage): string {
  const ops: string[] = [];
  if (page.bar) {
    const [r, g, b] = page.bar;
    ops.push(`${r} ${g} ${b} rg 60 ${PAGE_HEIGHT - 120} ${PAGE_WIDTH - 120} 12 re f`, '0 0 0 rg');
  }
  ops.push('BT', '/F1 24 Tf', `60 ${PAGE_HEIGHT - 90} Td`, '30 TL');
  page.lines.forEach((line, index) => {
    if (index === 1) ops.push('/F1 14 Tf', '0 -40 Td', '20 TL');
    ops.push(index === 0 ? `(${pdfString(line)}) Tj` : `T* (${pdfString(line)}) Tj`);
  });
  ops.push('ET');
  return ops.join('\n');
}

function pdfString(text: string): string {
  return text.replace(/[^\x20-\x7e]/gu, '?').replace(/[\\()]/gu, (char) => `\\${char}`);
}
