import type { AltarCore } from '../core/altar-core';
import type { CliIo } from './cli-io';
import type { CommandLine } from './command-line';

export interface CommandContext {
  line: CommandLine;
  io: CliIo;
  dataDir: string;
  /** Opens the core on first use; the runner closes it when the command ends. */
  core(): AltarCore;
}

/** Resolves to the exit code. */
export type Command = (context: CommandContext) => Promise<number>;

export function terminalWidth(io: CliIo): number {
  return io.stdout.isTTY === true && typeof io.stdout.columns === 'number'
    ? io.stdout.columns
    : 160;
}
