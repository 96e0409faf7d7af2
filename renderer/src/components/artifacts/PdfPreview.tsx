import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { PDFDocumentLoadingTask, PDFDocumentProxy } from 'pdfjs-dist';
import { ArtifactFetchError } from '../../model/artifact-fetch-error';
import { fetchPdfBytes } from '../../model/fetch-pdf-bytes';
import { loadPdfJs } from '../../model/load-pdfjs';
import { fitWidthScale, pageWindow, pdfErrorMessage, zoomIn, zoomOut } from '../../model/pdf-view';
import type { PageWindow, PdfZoom } from '../../model/pdf-view';
import { ArtifactUnavailable } from './ArtifactUnavailable';
import { PdfPageCanvas } from './PdfPageCanvas';
import './pdf-preview.css';

type Loaded =
  | { state: 'loading' }
  | { state: 'error'; error: unknown }
  | { state: 'ready'; doc: PDFDocumentProxy; pageSize: { width: number; height: number } };

/**
 * A PDF artifact drawn page by page with pdf.js into canvases of this page. The artifact URL
 * itself stays under `CSP: sandbox`, where Chromium's own PDF viewer does not run.
 */
export function PdfPreview({ url, name }: { url: string; name: string }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    let task: PDFDocumentLoadingTask | null = null;
    const abort = new AbortController();
    setLoaded({ state: 'loading' });
    void (async () => {
      const [bytes, pdfjs] = await Promise.all([
        fetchPdfBytes(url, undefined, abort.signal),
        loadPdfJs(),
      ]);
      if (!current) return;
      task = pdfjs.openPdf(bytes);
      const doc = await task.promise;
      const first = await doc.getPage(1);
      const { width, height } = first.getViewport({ scale: 1 });
      if (current) setLoaded({ state: 'ready', doc, pageSize: { width, height } });
    })().catch((error: unknown) => {
      if (current) setLoaded({ state: 'error', error });
    });
    return () => {
      current = false;
      abort.abort();
      // Ends the document and its worker, whether it is still opening or open.
      void task?.destroy();
    };
  }, [url]);

  return (
    <div className="pdf-preview" data-testid="pdf-preview">
      {loaded.state === 'loading' && <div className="loading">Loading the PDF…</div>}
      {loaded.state === 'error' &&
        (loaded.error instanceof ArtifactFetchError ? (
          <ArtifactUnavailable error={loaded.error} />
        ) : (
          <div className="detail-error" role="alert" data-testid="pdf-error">
            {pdfErrorMessage(loaded.error)}{' '}
            <a href={url} target="_blank" rel="noopener noreferrer">
              Open {name} in a new tab
            </a>
          </div>
        ))}
      {loaded.state === 'ready' && (
        <PdfPages key={url} doc={loaded.doc} pageSize={loaded.pageSize} url={url} />
      )}
    </div>
  );
}

const PAGE_GAP = 12;
const EMPTY_WINDOW: PageWindow = { current: 1, first: 1, last: 1 };

function PdfPages({
  doc,
  pageSize,
  url,
}: {
  doc: PDFDocumentProxy;
  pageSize: { width: number; height: number };
  url: string;
}) {
  const pageCount = doc.numPages;
  const scrollRef = useRef<HTMLDivElement>(null);
  const pageRefs = useRef<(HTMLDivElement | null)[]>([]);
  const [zoom, setZoom] = useState<PdfZoom>({ mode: 'fit-width' });
  const [availableWidth, setAvailableWidth] = useState(0);
  const [view, setView] = useState<PageWindow>(EMPTY_WINDOW);
  // A page chosen by the buttons or keys stays "current" while the view rests where it was put,
  // even when it cannot scroll to the top (the last short pages).
  const pinned = useRef<{ page: number; scrollTop: number } | null>(null);

  const scale =
    zoom.mode === 'fit-width'
      ? fitWidthScale(availableWidth - 2 * PAGE_GAP, pageSize.width)
      : zoom.scale;

  const measure = useCallback(() => {
    const scroller = scrollRef.current;
    if (scroller === null) return;
    const boxes = pageRefs.current
      .slice(0, pageCount)
      .map((element) => ({ top: element?.offsetTop ?? 0, height: element?.offsetHeight ?? 0 }));
    const next = pageWindow(
      boxes,
      scroller.scrollTop,
      scroller.clientHeight,
      scroller.clientHeight / 2,
    );
    const pin = pinned.current;
    if (pin !== null && Math.abs(scroller.scrollTop - pin.scrollTop) < 2) {
      next.current = pin.page;
    } else {
      pinned.current = null;
    }
    setView((old) =>
      old.current === next.current && old.first === next.first && old.last === next.last
        ? old
        : next,
    );
  }, [pageCount]);

  const frame = useRef(0);
  const measureSoon = useCallback(() => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(measure);
  }, [measure]);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  useLayoutEffect(() => {
    const scroller = scrollRef.current;
    if (scroller === null) return;
    const observer = new ResizeObserver(() => {
      setAvailableWidth(scroller.clientWidth);
      measureSoon();
    });
    observer.observe(scroller);
    setAvailableWidth(scroller.clientWidth);
    return () => observer.disconnect();
  }, [measureSoon]);

  const goTo = useCallback(
    (page: number) => {
      const scroller = scrollRef.current;
      const target = Math.min(pageCount, Math.max(1, page));
      const element = pageRefs.current[target - 1];
      if (scroller === null || element === null || element === undefined) return;
      scroller.scrollTop = element.offsetTop - PAGE_GAP;
      pinned.current = { page: target, scrollTop: scroller.scrollTop };
      measure();
    },
    [pageCount, measure],
  );

  // After a zoom the pages have new heights: keep the current page at the top of the view.
  const currentRef = useRef(view.current);
  currentRef.current = view.current;
  const firstLayout = useRef(true);
  useLayoutEffect(() => {
    if (firstLayout.current) {
      firstLayout.current = false;
      measure();
      return;
    }
    goTo(currentRef.current);
  }, [scale, goTo, measure]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'PageDown') goTo(view.current + 1);
    else if (event.key === 'PageUp') goTo(view.current - 1);
    else return;
    event.preventDefault();
  };

  return (
    <>
      <div className="toolbar pdf-toolbar">
        <button
          type="button"
          className="button small"
          data-testid="pdf-prev"
          aria-label="Previous page"
          disabled={view.current <= 1}
          onClick={() => goTo(view.current - 1)}
        >
          ‹ Prev
        </button>
        <span className="pdf-page-indicator" data-testid="pdf-page-indicator" aria-live="polite">
          Page {view.current} of {pageCount}
        </span>
        <button
          type="button"
          className="button small"
          data-testid="pdf-next"
          aria-label="Next page"
          disabled={view.current >= pageCount}
          onClick={() => goTo(view.current + 1)}
        >
          Next ›
        </button>
        <span className="spacer" />
        <button
          type="button"
          className="button small"
          data-testid="pdf-zoom-out"
          aria-label="Zoom out"
          onClick={() => setZoom({ mode: 'scale', scale: zoomOut(scale) })}
        >
          −
        </button>
        <span className="pdf-zoom" data-testid="pdf-zoom">
          {Math.round(scale * 100)}%
        </span>
        <button
          type="button"
          className="button small"
          data-testid="pdf-zoom-in"
          aria-label="Zoom in"
          onClick={() => setZoom({ mode: 'scale', scale: zoomIn(scale) })}
        >
          +
        </button>
        <button
          type="button"
          className="button small"
          data-testid="pdf-fit-width"
          aria-pressed={zoom.mode === 'fit-width'}
          onClick={() => setZoom({ mode: 'fit-width' })}
        >
          Fit width
        </button>
        <a className="button small" href={url} target="_blank" rel="noopener noreferrer">
          Open
        </a>
      </div>
      <div
        ref={scrollRef}
        className="pdf-pages"
        data-testid="pdf-pages"
        tabIndex={0}
        role="document"
        aria-label={`PDF, ${pageCount} pages; Page Up and Page Down turn pages`}
        onScroll={measureSoon}
        onKeyDown={onKeyDown}
      >
        {Array.from({ length: pageCount }, (_, index) => (
          <PdfPageCanvas
            key={index}
            ref={(element) => {
              pageRefs.current[index] = element;
            }}
            doc={doc}
            pageNumber={index + 1}
            zoom={scale}
            defaultSize={pageSize}
            // Nothing is drawn before the width is known: fit-width would draw everything twice.
            active={availableWidth > 0 && index + 1 >= view.first && index + 1 <= view.last}
            onResized={measureSoon}
          />
        ))}
      </div>
    </>
  );
}
