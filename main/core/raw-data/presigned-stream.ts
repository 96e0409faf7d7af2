import { PassThrough, Readable, pipeline } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AltarError } from '../../../shared/errors';
import { classifyS3Error } from './classify-s3-error';
import type { S3ErrorContext } from './classify-s3-error';

/**
 * The bytes behind a presigned GET URL (optionally one inclusive byte range), as a Node stream
 * that is returned at once and fills as the server answers. Nothing is buffered beyond the
 * stream's own backpressure; closing the stream early aborts the request.
 */
export function openPresignedStream(
  presign: () => Promise<string>,
  range: { start: number; end: number } | null,
  context: S3ErrorContext,
): Readable {
  const out = new PassThrough();
  const controller = new AbortController();
  out.once('close', () => controller.abort());
  const fetchBody = async (): Promise<void> => {
    const url = await presign();
    const response = await fetch(url, {
      headers: range === null ? {} : { Range: `bytes=${range.start}-${range.end}` },
      signal: controller.signal,
    });
    if (!response.ok || response.body === null) {
      await response.body?.cancel().catch(() => undefined);
      throw new AltarError(
        response.status === 404
          ? 'NOT_FOUND'
          : response.status === 403
            ? 'AUTH_FAILED'
            : 'CONNECTION_FAILED',
        `The storage server ${context.endpoint} answered ${response.status} for ` +
          `${context.bucket ?? ''}/${context.key ?? ''}.`,
      );
    }
    if (range !== null && response.status !== 206) {
      // The whole object under a 206 header would be wrong bytes at the wrong offsets.
      await response.body.cancel().catch(() => undefined);
      throw new AltarError(
        'CONNECTION_FAILED',
        `The storage server ${context.endpoint} ignored the byte range of the request.`,
      );
    }
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    pipeline(body, out, () => undefined);
  };
  fetchBody().catch((error: unknown) => {
    if (!out.destroyed) out.destroy(classifyS3Error(error, context));
  });
  return out;
}
