import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { protocol } from 'electron';
import { electronProtocols } from '../../shared/client-api';
import { isRoutePath } from '../../shared/routes';
import type { CoreService } from '../core/core-service';
import { resolveRunZip, zipHeaders } from '../hosts/artifact-zip';
import { resolveArtifact } from '../hosts/resolve-artifact';
import { resolveRawData } from '../hosts/resolve-raw-data';
import { webStreamResponse } from '../hosts/web-stream-response';
import {
  contentTypeFor,
  rendererContentSecurityPolicy,
  resolveStaticPath,
} from '../hosts/static-files';

const appOrigin = `${electronProtocols.app}://ui`;

/** Must run before app "ready": privileges cannot be granted later. */
export function registerPrivilegedSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: electronProtocols.app,
      privileges: { standard: true, secure: true, supportFetchAPI: true },
    },
    {
      scheme: electronProtocols.artifact,
      // corsEnabled + fetch so the UI can read a CSV artifact's text; stream for media seeking.
      privileges: {
        standard: true,
        secure: true,
        stream: true,
        supportFetchAPI: true,
        corsEnabled: true,
      },
    },
  ]);
}

/** altar-app://ui/... serves the built renderer; the page never sees file:// URLs. */
export function handleAppProtocol(rendererDir: string): void {
  const root = path.resolve(rendererDir);
  const csp = rendererContentSecurityPolicy(`${electronProtocols.artifact}:`);
  protocol.handle(electronProtocols.app, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'ui') return textResponse(404, 'not found');
    // A screen's address (a deep link, a reload on a run) is the page; other paths are files.
    const filePath = isRoutePath(url.pathname)
      ? path.join(root, 'index.html')
      : resolveStaticPath(root, url.pathname);
    if (!filePath) return textResponse(404, 'not found');
    const target = filePath;
    const data = await readOrNull(target);
    if (!data) {
      if (target === path.join(root, 'index.html')) {
        return new Response(
          '<!doctype html><meta charset="utf-8"><p>UI not built: run npm run build</p>',
          {
            status: 503,
            headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': csp },
          },
        );
      }
      return textResponse(404, 'not found');
    }
    const contentType = contentTypeFor(target);
    const headers: Record<string, string> = {
      'Content-Type': contentType,
      'X-Content-Type-Options': 'nosniff',
    };
    if (contentType.startsWith('text/html')) headers['Content-Security-Policy'] = csp;
    return new Response(new Uint8Array(data), { status: 200, headers });
  });
}

/**
 * altar-artifact://a/<id>[?download=1]: artifacts by opaque id, with Range for media;
 * altar-artifact://raw/<kind>/<source>/<runId>/<stem>: raw data of Altar runs, the same way.
 */
export function handleArtifactProtocol(core: CoreService): void {
  protocol.handle(electronProtocols.artifact, async (request) => {
    const url = new URL(request.url);
    if (url.host === 'zip') {
      const zip = await resolveRunZip(core, url.pathname);
      if (!zip.ok) return textResponse(zip.status, zip.message);
      const zipBody = Readable.toWeb(zip.open()) as ReadableStream<Uint8Array>;
      return new Response(zipBody, {
        status: 200,
        headers: { ...zipHeaders(zip.fileName), 'Access-Control-Allow-Origin': appOrigin },
      });
    }
    const resolved =
      url.host === 'raw'
        ? await resolveRawData(core, url.pathname.slice(1))
        : await resolveArtifact(core, url.host === 'a' ? url.pathname.slice(1) : '');
    if (!resolved.ok) return textResponse(resolved.status, resolved.payload.message);
    return webStreamResponse(request, resolved.artifact, url.searchParams.get('download') === '1', {
      'Access-Control-Allow-Origin': appOrigin,
    });
  });
}

async function readOrNull(filePath: string): Promise<Buffer | null> {
  try {
    return await readFile(filePath);
  } catch {
    return null;
  }
}

function textResponse(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });
}
