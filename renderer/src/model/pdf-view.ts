/** Page layout, zoom and error wording of the PDF preview; no DOM, so it is unit-tested. */

/** pdf.js measures in points (1/72 in); the screen in CSS pixels (1/96 in). */
export const CSS_PIXELS_PER_POINT = 96 / 72;

export const ZOOM_STEPS = [
  0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5,
] as const;
export const MIN_ZOOM = ZOOM_STEPS[0];
export const MAX_ZOOM = ZOOM_STEPS[ZOOM_STEPS.length - 1] ?? 5;

/** Above this a canvas takes too much memory (and Chromium refuses very large ones). */
export const MAX_CANVAS_PIXELS = 16_777_216;

/** A zoom of 1 shows a page at its printed size; fit-width follows the preview's width. */
export type PdfZoom = { mode: 'fit-width' } | { mode: 'scale'; scale: number };

export function clampZoom(scale: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, scale));
}

/** The zoom at which a page `pageWidthPt` points wide fills `availableWidth` CSS pixels. */
export function fitWidthScale(availableWidth: number, pageWidthPt: number): number {
  if (!(availableWidth > 0) || !(pageWidthPt > 0)) return 1;
  return clampZoom(availableWidth / (pageWidthPt * CSS_PIXELS_PER_POINT));
}

const EPSILON = 0.001;

export function zoomIn(scale: number): number {
  return ZOOM_STEPS.find((step) => step > scale + EPSILON) ?? MAX_ZOOM;
}

export function zoomOut(scale: number): number {
  return [...ZOOM_STEPS].reverse().find((step) => step < scale - EPSILON) ?? MIN_ZOOM;
}

/** Device pixels per CSS pixel for a page canvas, lowered so one canvas stays under the cap. */
export function canvasOutputScale(
  cssWidth: number,
  cssHeight: number,
  devicePixelRatio: number,
  maxPixels = MAX_CANVAS_PIXELS,
): number {
  const ratio = devicePixelRatio > 0 ? devicePixelRatio : 1;
  const area = cssWidth * cssHeight;
  if (!(area > 0)) return ratio;
  return Math.min(ratio, Math.sqrt(maxPixels / area));
}

/** Where a page's box sits inside the scrolled preview, in CSS pixels. */
export interface PageBox {
  top: number;
  height: number;
}

export interface PageWindow {
  /** 1-based: the page taking the most of the view. */
  current: number;
  /** 1-based, inclusive: the pages worth drawing (in view or just around it). */
  first: number;
  last: number;
}

/**
 * Which pages to draw for a view from `viewTop`, `viewHeight` high: those within `margin`
 * pixels of it, at most `maxPages` around the current one, so a 300-page PDF draws a handful.
 */
export function pageWindow(
  boxes: readonly PageBox[],
  viewTop: number,
  viewHeight: number,
  margin: number,
  maxPages = 8,
): PageWindow {
  if (boxes.length === 0) return { current: 1, first: 1, last: 0 };
  const viewBottom = viewTop + viewHeight;
  let current = 1;
  let best = -1;
  let first = 0;
  let last = 0;
  boxes.forEach((box, index) => {
    const bottom = box.top + box.height;
    const seen = Math.min(bottom, viewBottom) - Math.max(box.top, viewTop);
    if (seen > best + EPSILON) {
      best = seen;
      current = index + 1;
    }
    if (bottom >= viewTop - margin && box.top <= viewBottom + margin) {
      if (first === 0) first = index + 1;
      last = index + 1;
    }
  });
  if (first === 0) return { current, first: current, last: current };
  const clippedFirst = Math.max(first, current - Math.floor(maxPages / 2));
  return { current, first: clippedFirst, last: Math.min(last, clippedFirst + maxPages - 1) };
}

/** What to say in place of a PDF that pdf.js could not open, by the exception it threw. */
export function pdfErrorMessage(error: unknown): string {
  const name = error instanceof Error || isNamed(error) ? error.name : '';
  if (name === 'PdfTooLargeError' && error instanceof Error) return error.message;
  if (name === 'PasswordException') {
    return 'This PDF is protected by a password, which the preview cannot ask for. Download it and open it in a PDF reader.';
  }
  if (name === 'InvalidPDFException') {
    return 'This file is not a readable PDF: it may be damaged, incomplete or another kind of file. Download it to look at it.';
  }
  const detail = error instanceof Error || isNamed(error) ? error.message : String(error);
  return `The PDF could not be shown: ${detail}`;
}

function isNamed(value: unknown): value is { name: string; message: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
