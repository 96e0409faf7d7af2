// Imported only through load-pdfjs.ts, so pdf.js is its own chunk and not part of the app's.
import { getDocument, GlobalWorkerOptions } from 'pdfjs-dist';
import type { PDFDocumentLoadingTask } from 'pdfjs-dist';
// The worker is emitted as a file next to the app's own scripts: same origin, so the CSP needs
// no blob: and pdf.js does not wrap it.
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

/** The build copies pdf.js's fonts and CMaps there (renderer/vite.config.ts). */
function dataUrl(folder: string): string {
  return new URL(`pdfjs/${folder}/`, document.baseURI).href;
}

/**
 * Opens PDF bytes without any code in the document being run: no eval (our CSP forbids it and
 * pdf.js would otherwise try it for fonts), no XFA forms, and no scripting, which only pdf.js's
 * viewer layer (not used here) would start.
 */
export function openPdf(data: Uint8Array): PDFDocumentLoadingTask {
  return getDocument({
    data,
    isEvalSupported: false,
    enableXfa: false,
    standardFontDataUrl: dataUrl('standard_fonts'),
    cMapUrl: dataUrl('cmaps'),
    cMapPacked: true,
  });
}
