import path from 'node:path';
import { rendererContentSecurityPolicy as sharedRendererCsp } from '../../shared/content-security-policy';

/**
 * CSP of the renderer page, as a header (shared/content-security-policy.ts is its one source).
 * The Electron door loads artifacts from its own scheme, which is another origin than the
 * page, so it passes that scheme to be allowed where artifacts show.
 */
export function rendererContentSecurityPolicy(artifactSource?: string): string {
  return sharedRendererCsp({ artifactSource, delivery: 'header' });
}

/** Applied to every artifact: an HTML or SVG artifact must never run script as the app. */
export const artifactContentSecurityPolicy = 'sandbox';

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(filePath: string): string {
  return mimeTypes[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a URL path (still percent-encoded, as in the request line) to a file inside rootDir, or
 * null when it could point anywhere else. Decoding happens before the check, so "%2e%2e" and
 * "..%2f" cannot climb out.
 */
export function resolveStaticPath(rootDir: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((segment) => segment.length > 0);
  if (segments.some((segment) => segment === '.' || segment === '..')) return null;
  if (segments.length === 0) segments.push('index.html');
  const root = path.resolve(rootDir);
  const resolved = path.resolve(root, ...segments);
  const relative = path.relative(root, resolved);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
  return resolved;
}
