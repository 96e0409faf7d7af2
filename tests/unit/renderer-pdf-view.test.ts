import { afterEach, describe, expect, it, vi } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { ArtifactFetchError } from '../../renderer/src/model/artifact-fetch-error';
import { fetchPdfBytes, PdfTooLargeError } from '../../renderer/src/model/fetch-pdf-bytes';
import {
  canvasOutputScale,
  fitWidthScale,
  MAX_ZOOM,
  MIN_ZOOM,
  pageWindow,
  pdfErrorMessage,
  zoomIn,
  zoomOut,
} from '../../renderer/src/model/pdf-view';
import { brokenPdf, multiPagePdf, passwordProtectedPdf } from '../support/pdf-fixtures';

describe('PDF zoom', () => {
  it('fits an A4 page (595 pt) to the width of the preview', () => {
    // 595 pt are 793.3 CSS pixels at 100 %.
    expect(fitWidthScale(793.33, 595)).toBeCloseTo(1, 3);
    expect(fitWidthScale(396.67, 595)).toBeCloseTo(0.5, 3);
  });

  it('keeps fit-width within the zoom range and sane before the width is known', () => {
    expect(fitWidthScale(10, 595)).toBe(MIN_ZOOM);
    expect(fitWidthScale(100_000, 595)).toBe(MAX_ZOOM);
    expect(fitWidthScale(0, 595)).toBe(1);
    expect(fitWidthScale(800, 0)).toBe(1);
  });

  it('steps + and − through the zoom levels from any zoom, and stops at the ends', () => {
    expect(zoomIn(1)).toBe(1.1);
    expect(zoomOut(1)).toBe(0.9);
    expect(zoomIn(1.03)).toBe(1.1);
    expect(zoomOut(1.03)).toBe(1);
    expect(zoomIn(MAX_ZOOM)).toBe(MAX_ZOOM);
    expect(zoomOut(MIN_ZOOM)).toBe(MIN_ZOOM);
  });

  it('draws sharp on high-DPI screens but never a canvas above the pixel cap', () => {
    expect(canvasOutputScale(800, 1000, 2)).toBe(2);
    const scale = canvasOutputScale(4000, 5000, 2, 16_000_000);
    expect(4000 * 5000 * scale * scale).toBeLessThanOrEqual(16_000_000 + 1);
    expect(canvasOutputScale(800, 1000, 0)).toBe(1);
  });
});

describe('which pages a PDF preview draws', () => {
  const boxes = (count: number, height = 1000, gap = 10) =>
    Array.from({ length: count }, (_, i) => ({ top: 10 + i * (height + gap), height }));

  it('draws the pages in view and the next, not the other 290 of a 300-page PDF', () => {
    const view = pageWindow(boxes(300), 0, 600, 300);
    expect(view).toEqual({ current: 1, first: 1, last: 1 });
    const lower = pageWindow(boxes(300), 900, 600, 300);
    expect(lower.current).toBe(2);
    expect(lower.first).toBe(1);
    expect(lower.last).toBe(2);
    const end = pageWindow(boxes(300), 300 * 1010 - 600, 600, 300);
    expect(end).toEqual({ current: 300, first: 300, last: 300 });
  });

  it('caps the drawn pages around the current one when pages are tiny', () => {
    const view = pageWindow(boxes(300, 20, 2), 22 * 100, 600, 300, 8);
    expect(view.last - view.first + 1).toBe(8);
    expect(view.current).toBeGreaterThanOrEqual(view.first);
    expect(view.current).toBeLessThanOrEqual(view.last);
  });

  it('calls current the page that fills most of the view', () => {
    // Page 1 shows 110 px, page 2 shows 490 px.
    expect(pageWindow(boxes(3), 900, 600, 0).current).toBe(2);
  });

  it('handles a document with no laid-out pages', () => {
    expect(pageWindow([], 0, 600, 300)).toEqual({ current: 1, first: 1, last: 0 });
  });
});

describe('what a PDF that cannot be shown says', () => {
  const failureOf = (bytes: Buffer) =>
    getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0 }).promise.then(
      () => null,
      (error: unknown) => error,
    );

  it('names a damaged file and a password, from the errors pdf.js really throws', async () => {
    expect(pdfErrorMessage(await failureOf(brokenPdf()))).toMatch(/not a readable PDF/u);
    expect(pdfErrorMessage(await failureOf(passwordProtectedPdf()))).toMatch(
      /protected by a password/u,
    );
    expect(await failureOf(multiPagePdf())).toBeNull();
  });

  it('passes on anything else with its message', () => {
    expect(pdfErrorMessage(new Error('worker gone'))).toBe(
      'The PDF could not be shown: worker gone',
    );
    expect(pdfErrorMessage('odd')).toBe('The PDF could not be shown: odd');
    expect(pdfErrorMessage(new PdfTooLargeError(200 * 1024 * 1024))).toMatch(
      /^This PDF is larger than 200 MB/u,
    );
  });
});

describe('fetching the bytes of a PDF artifact', () => {
  afterEach(() => vi.unstubAllGlobals());

  const serve = (response: Response) => {
    const fetchMock = vi.fn(async () => response);
    vi.stubGlobal('fetch', fetchMock);
    return fetchMock;
  };

  it('returns the whole file', async () => {
    const pdf = multiPagePdf();
    serve(new Response(new Uint8Array(pdf), { status: 200 }));
    expect(Buffer.from(await fetchPdfBytes('/artifacts/x')).equals(pdf)).toBe(true);
  });

  it('turns an error answer into the artifact error the other previews show', async () => {
    serve(
      new Response(JSON.stringify({ ok: false, error: { message: 'server away' } }), {
        status: 503,
      }),
    );
    const error = await fetchPdfBytes('/artifacts/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArtifactFetchError);
    expect((error as ArtifactFetchError).notAvailableOffline).toBe(true);
    expect((error as ArtifactFetchError).message).toBe('server away');
  });

  it('refuses a file above the limit, by its declared size or while reading', async () => {
    serve(
      new Response(new Uint8Array(2000), { status: 200, headers: { 'Content-Length': '2000' } }),
    );
    await expect(fetchPdfBytes('/artifacts/x', 1000)).rejects.toBeInstanceOf(PdfTooLargeError);

    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(new Uint8Array(400));
        controller.close();
      },
    });
    serve(new Response(chunks, { status: 200 }));
    await expect(fetchPdfBytes('/artifacts/x', 1000)).rejects.toBeInstanceOf(PdfTooLargeError);
  });
});
