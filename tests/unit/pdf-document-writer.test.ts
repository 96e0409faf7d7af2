import { describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { writePdf } from '../../main/core/demo/pdf-document';
import { brokenPdf, multiPagePdf, passwordProtectedPdf } from '../support/pdf-fixtures';

// The same library and options the renderer uses, so these PDFs are what the e2e test sees.
function open(bytes: Buffer) {
  return getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    enableXfa: false,
    useSystemFonts: false,
    verbosity: 0,
  }).promise;
}

async function pageText(bytes: Buffer, pageNumber: number): Promise<string> {
  const document = await open(bytes);
  try {
    const page = await document.getPage(pageNumber);
    const content = await page.getTextContent();
    return content.items.map((item) => ('str' in item ? item.str : '')).join(' ');
  } finally {
    await document.destroy();
  }
}

describe('the demo PDF writer', () => {
  it('writes a document pdf.js opens with every page and its text', async () => {
    const bytes = multiPagePdf(3);
    const document = await open(bytes);
    expect(document.numPages).toBe(3);
    await document.destroy();
    expect(await pageText(bytes, 2)).toContain('Page 2 of 3');
    expect(await pageText(bytes, 3)).toContain('Page 3 of 3');
  });

  it('escapes parentheses and backslashes and replaces what WinAnsi cannot say', async () => {
    const bytes = writePdf([{ lines: ['f(x) = a\\b', 'écrit → là'] }]);
    const text = await pageText(bytes, 1);
    expect(text).toContain('f(x) = a\\b');
    expect(text).toContain('?crit ? l?');
  });

  it('refuses a document without pages', () => {
    expect(() => writePdf([])).toThrow(/at least one page/u);
  });

  it('broken and password-protected fixtures fail the way the preview reports them', async () => {
    await expect(open(brokenPdf())).rejects.toMatchObject({ name: 'InvalidPDFException' });
    await expect(open(passwordProtectedPdf())).rejects.toMatchObject({
      name: 'PasswordException',
    });
    // The security dictionary is valid: the right password opens it.
    const unlocked = await getDocument({
      data: new Uint8Array(passwordProtectedPdf('secret')),
      password: 'secret',
      isEvalSupported: false,
      verbosity: 0,
    }).promise;
    expect(unlocked.numPages).toBe(1);
    await unlocked.destroy();
  });
});
