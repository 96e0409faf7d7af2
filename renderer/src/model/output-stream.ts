import Convert from 'ansi-to-html';
import { collapseCarriageReturns } from '../../../shared/ansi-progress';

const OPTIONS = { escapeXML: true, newline: false, fg: '#1f2328', bg: '#ffffff' } as const;

/**
 * Captured output turned into HTML piece by piece, for a view that appends new text without
 * redrawing the old. Complete lines are final (their colours carry over to the next piece);
 * the last, unfinished line is redrawn on every append, since a progress bar may still be
 * rewriting it with `\r`.
 */
export class OutputHtmlStream {
  private readonly converter = new Convert({ ...OPTIONS, stream: true });
  private tail = '';

  /** HTML of the lines completed by `text`, and the HTML of the line still open. */
  append(text: string): { completedHtml: string; openHtml: string } {
    const pending = this.tail + text;
    const lastNewline = pending.lastIndexOf('\n');
    const completed = pending.slice(0, lastNewline + 1);
    this.tail = pending.slice(lastNewline + 1);
    const completedHtml =
      completed === '' ? '' : this.converter.toHtml(collapseCarriageReturns(completed));
    const openHtml =
      this.tail === '' ? '' : new Convert(OPTIONS).toHtml(collapseCarriageReturns(this.tail));
    return { completedHtml, openHtml };
  }
}

/** Ranges [start, end) of every case-insensitive occurrence of `query`, at most `limit`. */
export function findMatches(text: string, query: string, limit = 5000): [number, number][] {
  const needle = query.toLowerCase();
  if (needle === '') return [];
  const haystack = text.toLowerCase();
  const out: [number, number][] = [];
  for (let at = haystack.indexOf(needle); at >= 0 && out.length < limit;) {
    out.push([at, at + needle.length]);
    at = haystack.indexOf(needle, at + needle.length);
  }
  return out;
}
