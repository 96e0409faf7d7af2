import type * as PdfJsRuntime from './pdfjs-runtime';

let runtime: Promise<typeof PdfJsRuntime> | null = null;

/** pdf.js is big; it is loaded the first time a PDF is previewed, not with the app. */
export function loadPdfJs(): Promise<typeof PdfJsRuntime> {
  runtime ??= import('./pdfjs-runtime').catch((error: unknown) => {
    // A failed chunk load (server restarted mid-session) may succeed on the next try.
    runtime = null;
    throw error;
  });
  return runtime;
}
