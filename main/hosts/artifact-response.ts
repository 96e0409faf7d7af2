import type { ArtifactStream } from '../core/core-service';
import { artifactContentSecurityPolicy } from './static-files';

/** Inclusive byte range, as fs.createReadStream and Content-Range count. */
export interface ByteRange {
  start: number;
  end: number;
}

export type RangeRequest =
  { kind: 'full' } | { kind: 'partial'; range: ByteRange } | { kind: 'unsatisfiable' };

/**
 * One "bytes=" range (what video elements and resumed downloads send). Several ranges or a
 * syntax we do not know are answered with the whole body, which RFC 9110 allows.
 */
export function parseRange(header: string | null | undefined, size: number): RangeRequest {
  if (!header || size <= 0) return { kind: 'full' };
  const match = /^bytes=(\d*)-(\d*)$/u.exec(header.trim());
  if (!match) return { kind: 'full' };
  const [, startText = '', endText = ''] = match;
  if (startText === '' && endText === '') return { kind: 'full' };
  if (startText === '') {
    const suffix = Number(endText);
    if (suffix === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = Number(startText);
  const end = endText === '' ? size - 1 : Math.min(Number(endText), size - 1);
  if (start >= size || end < start) return { kind: 'unsatisfiable' };
  return { kind: 'partial', range: { start, end } };
}

/** RFC 6266/8187 disposition: an ASCII fallback for old clients plus the exact UTF-8 name. */
export function contentDisposition(download: boolean, fileName: string): string {
  const kind = download ? 'attachment' : 'inline';
  const base = fileName.split(/[/\\]/u).pop() || 'artifact';
  const ascii = base.replace(/[^\x20-\x7e]|["\\%]/gu, '_');
  const encoded = encodeURIComponent(base).replace(
    /['()*]/gu,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Headers shared by the HTTP host and the Electron artifact protocol. */
export function artifactHeaders(
  artifact: Pick<ArtifactStream, 'name' | 'size' | 'contentType'>,
  download: boolean,
  range: ByteRange | null,
): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': artifact.contentType || 'application/octet-stream',
    'Content-Disposition': contentDisposition(download, artifact.name),
    'Content-Security-Policy': artifactContentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'no-cache',
  };
  if (range) {
    headers['Content-Length'] = String(range.end - range.start + 1);
    headers['Content-Range'] = `bytes ${range.start}-${range.end}/${artifact.size}`;
  } else {
    headers['Content-Length'] = String(artifact.size);
  }
  return headers;
}
