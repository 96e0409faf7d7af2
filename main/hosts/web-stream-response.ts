import { Readable } from 'node:stream';
import type { ArtifactStream } from '../core/core-service';
import { artifactHeaders, parseRange } from './artifact-response';

/**
 * An artifact or raw data file as a fetch Response (what Electron's protocol.handle wants):
 * whole or one Range, with the same sandboxing headers as the HTTP door, streamed.
 */
export function webStreamResponse(
  request: Pick<Request, 'method' | 'headers'>,
  artifact: ArtifactStream,
  download: boolean,
  extraHeaders: Record<string, string> = {},
): Response {
  const requested = parseRange(request.headers.get('range'), artifact.size);
  if (requested.kind === 'unsatisfiable') {
    return new Response(null, {
      status: 416,
      headers: { 'Content-Range': `bytes */${artifact.size}` },
    });
  }
  const range = requested.kind === 'partial' ? requested.range : null;
  const headers = { ...artifactHeaders(artifact, download, range), ...extraHeaders };
  const status = range ? 206 : 200;
  if (request.method === 'HEAD') return new Response(null, { status, headers });
  const body = Readable.toWeb(artifact.open(range ?? undefined)) as ReadableStream<Uint8Array>;
  return new Response(body, { status, headers });
}
