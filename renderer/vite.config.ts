import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';

const rendererDir = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * The dev server injects an inline React refresh preamble that the production CSP forbids;
 * the CSP meta tag is dropped only while serving in dev, never from the build.
 */
function devWithoutCsp(): Plugin {
  return {
    name: 'altar-dev-without-csp',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>/u, ''),
  };
}

// `ALTAR_DEV_SERVER=http://127.0.0.1:PORT` proxies the API of a running `altar-viewer serve`.
const backend = process.env.ALTAR_DEV_SERVER;
const proxy =
  backend === undefined
    ? undefined
    : Object.fromEntries(
        ['/api', '/events', '/artifacts'].map((path) => [
          path,
          { target: backend, changeOrigin: false },
        ]),
      );

export default defineConfig({
  root: rendererDir,
  // Relative asset URLs, so the same build loads from altar-app://ui/ and http://127.0.0.1:PORT/.
  base: './',
  plugins: [react(), devWithoutCsp()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // plotly is loaded lazily as its own chunk and is big by nature.
    chunkSizeWarningLimit: 5000,
  },
  server: {
    host: '127.0.0.1',
    fs: { allow: [repoRoot] },
    proxy,
  },
});
