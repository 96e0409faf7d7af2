import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import { electronProtocols } from '../shared/client-api';
import { rendererContentSecurityPolicy } from '../shared/content-security-policy';
import { plotlyStepper } from '../build/plotly-stepper';

const rendererDir = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Writes the page's CSP meta tag into the built index.html, from the same source as both
 * doors' headers (shared/content-security-policy.ts), so the two can never disagree. Only in
 * the build: the dev server injects an inline React refresh preamble the CSP forbids.
 */
function cspMetaTag(): Plugin {
  // One built page serves both doors: the artifact scheme matters only in Electron.
  const policy = rendererContentSecurityPolicy({
    artifactSource: `${electronProtocols.artifact}:`,
    delivery: 'meta',
  });
  const marker = /<!-- altar-csp:[^>]*-->/u;
  return {
    name: 'altar-csp-meta',
    apply: 'build',
    transformIndexHtml: (html) => {
      // Before every script (a policy governs only what is parsed after it).
      if (!marker.test(html)) throw new Error('index.html lost its altar-csp marker');
      return html.replace(
        marker,
        `<meta http-equiv="Content-Security-Policy" content="${policy}" />`,
      );
    },
  };
}

/**
 * pdf.js fetches fonts that PDFs name without embedding (Helvetica, Symbol...) and the CMaps of
 * CJK text at run time, from pdfjs/ next to index.html (renderer/src/model/pdfjs-runtime.ts).
 * They are only downloaded when a PDF needs them.
 */
function pdfjsData(): Plugin {
  const packageDir = path.dirname(
    createRequire(import.meta.url).resolve('pdfjs-dist/package.json'),
  );
  const folders = ['standard_fonts', 'cmaps'];
  return {
    name: 'altar-pdfjs-data',
    configureServer(server) {
      server.middlewares.use('/pdfjs/', (req, res, next) => {
        const [folder, file, ...rest] =
          (req.url ?? '').split('?')[0]?.split('/').filter(Boolean) ?? [];
        if (
          !folder ||
          !file ||
          rest.length > 0 ||
          !folders.includes(folder) ||
          file.startsWith('.')
        ) {
          next();
          return;
        }
        try {
          res.end(readFileSync(path.join(packageDir, folder, file)));
        } catch {
          next();
        }
      });
    },
    generateBundle() {
      for (const folder of folders) {
        for (const file of readdirSync(path.join(packageDir, folder))) {
          this.emitFile({
            type: 'asset',
            fileName: `pdfjs/${folder}/${file}`,
            source: readFileSync(path.join(packageDir, folder, file)),
          });
        }
      }
    },
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
  // Root-absolute asset URLs: both doors serve the page at their origin's root
  // (altar-app://ui/, http://127.0.0.1:PORT/), and a screen's address (/runs/lab/13) is the
  // same page, whose assets must not resolve under /runs/lab/.
  base: '/',
  plugins: [react(), cspMetaTag(), pdfjsData(), plotlyStepper()],
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
