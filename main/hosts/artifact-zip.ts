import type { Readable } from 'node:stream';
import type * as Yazl from 'yazl';
import type { ArtifactStream, CoreService } from '../core/core-service';
import { packageOnFirstUse } from '../core/package-on-first-use';
import { contentDisposition } from './artifact-response';

const yazl = packageOnFirstUse<typeof Yazl>('yazl');

export type RunZipResolution =
  { ok: true; fileName: string; open(): Readable } | { ok: false; status: number; message: string };

/** `<source>/<runId>` as both doors put it in the URL, each part URL-encoded. */
export function parseRunZipPath(encoded: string): { source: string; runId: string } | null {
  const parts = encoded.replace(/^\/+/u, '').split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  try {
    return { source: decodeURIComponent(parts[0]), runId: decodeURIComponent(parts[1]) };
  } catch {
    return null;
  }
}

/**
 * A zip of a run's artifacts, written while it is sent: each entry is read from its own stream
 * as the archive reaches it, so a run with a 1 GB artifact never sits in memory.
 */
export async function resolveRunZip(
  core: Pick<CoreService, 'openRunArtifacts'>,
  encodedPath: string,
): Promise<RunZipResolution> {
  const key = parseRunZipPath(encodedPath);
  if (key === null) {
    return { ok: false, status: 404, message: 'expected /<source>/<runId>' };
  }
  const streams = await core.openRunArtifacts(key.source, key.runId).catch(() => null);
  if (streams === null) return { ok: false, status: 404, message: 'no run with this id' };
  return {
    ok: true,
    fileName: `${key.source}-${key.runId}-artifacts.zip`,
    open: () => zipArtifacts(streams),
  };
}

export function zipHeaders(fileName: string): Record<string, string> {
  return {
    'Content-Type': 'application/zip',
    'Content-Disposition': contentDisposition(true, fileName),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  };
}

/** Stored, not deflated: artifacts are mostly images and binaries that do not shrink. */
export function zipArtifacts(artifacts: ArtifactStream[]): Readable {
  const zip = new (yazl().ZipFile)();
  const used = new Set<string>();
  for (const artifact of artifacts) {
    // Lazy: a file is opened only when the archive reaches it, not all at once.
    zip.addReadStreamLazy(
      entryName(artifact.name, used),
      { size: artifact.size, compress: false },
      (callback) => callback(null, artifact.open()),
    );
  }
  zip.end();
  return zip.outputStream as Readable;
}

/** Zip entry names are relative paths; two artifacts of one name must not overwrite each other. */
function entryName(name: string, used: Set<string>): string {
  const clean =
    name
      .split(/[/\\]/u)
      .filter((part) => part !== '' && part !== '.' && part !== '..')
      .join('/') || 'artifact';
  let candidate = clean;
  for (let n = 2; used.has(candidate); n += 1) {
    const dot = clean.lastIndexOf('.');
    candidate = dot > 0 ? `${clean.slice(0, dot)} (${n})${clean.slice(dot)}` : `${clean} (${n})`;
  }
  used.add(candidate);
  return candidate;
}
