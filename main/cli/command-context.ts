import { mkdirSync } from 'node:fs';
import { createAltarCore } from '../core/altar-core';
import type { AltarCore } from '../core/altar-core';
import { CliFailure } from './cli-errors';
import type { CliIo } from './cli-io';
import type { CommandLine } from './command-line';
import { cliPasswordFallback } from './password-fallback';
import { cliStorageSecretFallback } from './storage-secret-fallback';

export interface CommandContext {
  line: CommandLine;
  io: CliIo;
  dataDir: string;
  /**
   * Opens the core on first use; the runner closes it when the command ends. Commands that
   * run until stopped (serve) ask for background syncs and live refreshes.
   */
  core(options?: { background?: boolean }): AltarCore;
}

/** Resolves to the exit code. */
export type Command = (context: CommandContext) => Promise<number>;

export function terminalWidth(io: CliIo): number {
  return io.stdout.isTTY === true && typeof io.stdout.columns === 'number'
    ? io.stdout.columns
    : 160;
}

/**
 * The CLI's core: passwords live in this process's memory only (the core's default store)
 * and, when a profile needs one, come from ALTAR_MONGO_PASSWORD or a terminal prompt.
 */
export function openCliCore(dataDir: string, io: CliIo, background = false): AltarCore {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? ` (${String(error.code)})` : '';
    throw new CliFailure(`cannot use ${dataDir} as the data directory${code}`, 1);
  }
  return createAltarCore({
    dataDir,
    door: 'direct',
    passwordFallback: cliPasswordFallback(io),
    storageSecretFallback: cliStorageSecretFallback(io),
    background,
    // `serve` warms the run table up after printing its URL.
    warmUpOnStart: false,
  });
}
