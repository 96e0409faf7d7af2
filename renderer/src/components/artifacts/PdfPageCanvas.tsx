import { forwardRef, useEffect, useRef, useState } from 'react';
import type { PDFDocumentProxy, RenderTask } from 'pdfjs-dist';
import { canvasOutputScale, CSS_PIXELS_PER_POINT } from '../../model/pdf-view';

interface Props {
  doc: PDFDocumentProxy;
  pageNumber: number;
  /** 1 = printed size. */
  zoom: number;
  /** The page size in points until this page's own is known (most PDFs have one size). */
  defaultSize: { width: number; height: number };
  /** Draw it; off, the canvas is emptied so far-away pages hold no memory. */
  active: boolean;
  /** The page turned out to have another size than the default: the layout moved. */
  onResized: () => void;
}

type Drawn = 'idle' | 'drawing' | 'drawn' | 'failed';

/** One page: a box of the page's size always, a canvas drawn by pdf.js only while active. */
export const PdfPageCanvas = forwardRef<HTMLDivElement, Props>(function PdfPageCanvas(
  { doc, pageNumber, zoom, defaultSize, active, onResized },
  ref,
) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const [drawn, setDrawn] = useState<Drawn>('idle');
  const onResizedRef = useRef(onResized);
  onResizedRef.current = onResized;

  useEffect(() => {
    if (!active) return;
    let cancelled = false;
    let task: RenderTask | null = null;
    setDrawn('drawing');
    doc
      .getPage(pageNumber)
      .then((page) => {
        if (cancelled) return;
        const points = page.getViewport({ scale: 1 });
        setSize((old) => {
          const same = old?.width === points.width && old?.height === points.height;
          const changed =
            points.width !== defaultSize.width || points.height !== defaultSize.height;
          if (!same && changed) queueMicrotask(() => onResizedRef.current());
          return same ? old : { width: points.width, height: points.height };
        });
        const viewport = page.getViewport({ scale: zoom * CSS_PIXELS_PER_POINT });
        const canvas = canvasRef.current;
        if (canvas === null) return;
        const output = canvasOutputScale(viewport.width, viewport.height, window.devicePixelRatio);
        canvas.width = Math.floor(viewport.width * output);
        canvas.height = Math.floor(viewport.height * output);
        task = page.render({
          canvas,
          viewport,
          transform: output === 1 ? undefined : [output, 0, 0, output, 0, 0],
        });
        return task.promise.then(() => {
          if (!cancelled) setDrawn('drawn');
        });
      })
      .catch((error: unknown) => {
        // Cancelled because the page scrolled away or the zoom changed: not a failure.
        if (cancelled || (error instanceof Error && error.name === 'RenderingCancelledException')) {
          return;
        }
        setDrawn('failed');
      });
    return () => {
      cancelled = true;
      task?.cancel();
      const canvas = canvasRef.current;
      if (canvas !== null) {
        // Frees the bitmap now rather than whenever the element goes away.
        canvas.width = 0;
        canvas.height = 0;
      }
      setDrawn('idle');
    };
  }, [doc, pageNumber, zoom, active, defaultSize.width, defaultSize.height]);

  const points = size ?? defaultSize;
  const width = points.width * zoom * CSS_PIXELS_PER_POINT;
  const height = points.height * zoom * CSS_PIXELS_PER_POINT;
  return (
    <div
      ref={ref}
      className="pdf-page"
      data-testid="pdf-page"
      data-page={pageNumber}
      data-drawn={drawn}
      style={{ width, height }}
      aria-label={`Page ${pageNumber}`}
    >
      <canvas ref={canvasRef} style={{ width, height }} />
      {drawn === 'failed' && (
        <div className="pdf-page-failed" role="alert">
          Page {pageNumber} could not be drawn.
        </div>
      )}
    </div>
  );
});
