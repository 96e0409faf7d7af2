import Convert from 'ansi-to-html';
import { collapseCarriageReturns } from '../../../shared/ansi-progress';

/**
 * Captured output as HTML: progress-bar redraws collapsed, ANSI colours kept. escapeXML makes
 * the converter escape the text itself, so output containing "<script>" stays text.
 */
export function capturedOutputToHtml(text: string): string {
  const converter = new Convert({ escapeXML: true, newline: false, fg: '#1f2328', bg: '#ffffff' });
  return converter.toHtml(collapseCarriageReturns(text));
}
