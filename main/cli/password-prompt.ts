import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { AltarError } from '../../shared/errors';
import type { InputStream, OutputStream } from './cli-io';

/**
 * Asks for a line on a terminal without echoing it: the prompt goes to `output`, then
 * everything readline would echo is dropped. Resolves to null on end of input (Ctrl+D);
 * Ctrl+C rejects with CANCELLED. Closing the interface puts the terminal back in cooked mode.
 */
export function promptHidden(
  question: string,
  input: InputStream,
  output: OutputStream,
): Promise<string | null> {
  return new Promise((resolve, reject) => {
    let muted = false;
    let settled = false;
    const sink = new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        if (!muted) output.write(chunk.toString());
        done();
      },
    });
    const rl = createInterface({ input, output: sink, terminal: true, historySize: 0 });
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      muted = false;
      rl.close();
      // The user's Enter was swallowed with the echo; end the prompt's line ourselves.
      output.write('\n');
      outcome();
    };
    rl.on('SIGINT', () => {
      finish(() => reject(new AltarError('CANCELLED', 'Cancelled at the password prompt.')));
    });
    rl.on('close', () => {
      finish(() => resolve(null));
    });
    rl.question(question, (answer) => {
      finish(() => resolve(answer));
    });
    muted = true;
  });
}
