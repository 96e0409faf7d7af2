import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { once } from 'node:events';
import { rename, rm, stat } from 'node:fs/promises';
import { AltarError } from '../../../shared/errors';

/**
 * Where an export goes: a string in memory, or a file written through a temporary name so a
 * failed export never leaves half a file under the name the user chose.
 */
export interface ExportSink {
  write(text: string): Promise<void>;
  /** The text (in memory) or null (file), once everything is written. */
  finish(): Promise<string | null>;
  abort(): Promise<void>;
  readonly bytes: number;
}

export function memorySink(): ExportSink {
  const parts: string[] = [];
  let bytes = 0;
  return {
    async write(text) {
      parts.push(text);
      bytes += Buffer.byteLength(text, 'utf8');
    },
    async finish() {
      return parts.join('');
    },
    async abort() {
      parts.length = 0;
    },
    get bytes() {
      return bytes;
    },
  };
}

export async function fileSink(path: string): Promise<ExportSink> {
  const existing = await stat(path).catch(() => null);
  if (existing?.isDirectory() === true) {
    throw new AltarError(
      'INVALID_ARGUMENT',
      `Cannot write ${path}: it is a folder; give a file name`,
    );
  }
  const temporary = `${path}.partial-${process.pid}`;
  const stream: WriteStream = createWriteStream(temporary, { flags: 'wx' });
  let failure: Error | null = null;
  stream.on('error', (error) => {
    failure = error;
  });
  try {
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
  } catch (error) {
    throw new AltarError(
      'INVALID_ARGUMENT',
      `Cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let bytes = 0;
  const check = (): void => {
    if (failure !== null)
      throw new AltarError('INTERNAL', `Writing ${path} failed: ${failure.message}`);
  };
  return {
    async write(text) {
      check();
      bytes += Buffer.byteLength(text, 'utf8');
      if (!stream.write(text)) await once(stream, 'drain');
    },
    async finish() {
      check();
      stream.end();
      await once(stream, 'finish');
      check();
      try {
        await rename(temporary, path);
      } catch (error) {
        // Something took the name meanwhile (a folder, say): keep no half-done file behind.
        await rm(temporary, { force: true });
        throw new AltarError(
          'INVALID_ARGUMENT',
          `Cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      return null;
    },
    async abort() {
      stream.destroy();
      await rm(temporary, { force: true });
    },
    get bytes() {
      return bytes;
    },
  };
}
