import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentTypeFor, resolveStaticPath } from '../../main/hosts/static-files';

// The page's files are served from one folder (the HTTP door and the Electron app scheme):
// every URL path maps to a file inside it or to nothing. The expected paths are spelled out.
const root = path.resolve('/srv/altar/renderer');

describe('which file a URL path of the page names', () => {
  it('serves index.html for the bare address', () => {
    expect(resolveStaticPath(root, '/')).toBe(`${root}/index.html`);
    expect(resolveStaticPath(root, '')).toBe(`${root}/index.html`);
  });

  it('maps a path to the file under the folder, decoded, ignoring doubled slashes', () => {
    expect(resolveStaticPath(root, '/assets/app-3f2a.js')).toBe(`${root}/assets/app-3f2a.js`);
    expect(resolveStaticPath(root, '//assets///app-3f2a.js')).toBe(`${root}/assets/app-3f2a.js`);
    expect(resolveStaticPath(root, '/assets/my%20font.woff2')).toBe(`${root}/assets/my font.woff2`);
  });

  it('takes a relative folder from the working directory', () => {
    expect(resolveStaticPath('dist/renderer', '/index.html')).toBe(
      path.join(process.cwd(), 'dist', 'renderer', 'index.html'),
    );
  });

  it('refuses every way of climbing out of the folder, plain or percent-encoded', () => {
    for (const attempt of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/..',
      '/%2e%2e/secret.txt',
      '/%2E%2E/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/.%2e/secret.txt',
      '/..%5csecret.txt',
      '/assets%5c..%5c..%5csecret.txt',
    ]) {
      expect(resolveStaticPath(root, attempt), attempt).toBeNull();
    }
  });

  it('refuses dot segments even when they would stay inside', () => {
    expect(resolveStaticPath(root, '/./index.html')).toBeNull();
    expect(resolveStaticPath(root, '/assets/./app.js')).toBeNull();
    expect(resolveStaticPath(root, '/assets/%2e/app.js')).toBeNull();
    expect(resolveStaticPath(root, '/assets/../index.html')).toBeNull();
  });

  it('refuses NUL bytes and text that is not valid percent-encoding', () => {
    expect(resolveStaticPath(root, '/index.html%00.png')).toBeNull();
    expect(resolveStaticPath(root, '/%E0%A4%A')).toBeNull();
    expect(resolveStaticPath(root, '/100%.html')).toBeNull();
  });
});

describe('the content type a served file gets', () => {
  it('gives the types browsers insist on for scripts, styles, WebAssembly and the page', () => {
    expect(contentTypeFor('/r/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('/r/assets/app.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('/r/assets/worker.mjs')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('/r/assets/app.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('/r/assets/re2.wasm')).toBe('application/wasm');
  });

  it('gives artifacts and assets their usual image, font and text types', () => {
    const expected: Record<string, string> = {
      'metrics.json': 'application/json; charset=utf-8',
      'app.js.map': 'application/json; charset=utf-8',
      'notes.txt': 'text/plain; charset=utf-8',
      'plot.svg': 'image/svg+xml',
      'plot.png': 'image/png',
      'photo.jpg': 'image/jpeg',
      'photo.jpeg': 'image/jpeg',
      'anim.gif': 'image/gif',
      'frame.webp': 'image/webp',
      'favicon.ico': 'image/x-icon',
      'inter.woff': 'font/woff',
      'inter.woff2': 'font/woff2',
      'inter.ttf': 'font/ttf',
    };
    for (const [name, type] of Object.entries(expected)) {
      expect(contentTypeFor(`/artifacts/${name}`), name).toBe(type);
    }
  });

  it('reads the extension in any case, and sends anything else as bytes', () => {
    expect(contentTypeFor('/artifacts/PLOT.PNG')).toBe('image/png');
    expect(contentTypeFor('/artifacts/Report.HTML')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('/artifacts/model.pt')).toBe('application/octet-stream');
    expect(contentTypeFor('/artifacts/README')).toBe('application/octet-stream');
  });
});
