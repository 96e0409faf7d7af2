import { AltarError } from '../../../shared/errors';

/**
 * SQLite's own verdict that a file is damaged or not a database: the only errors that may move
 * a cache aside. Everything else (a native module built for another Node.js or Electron, a
 * lock held by another process, a permission or disk error) leaves the file alone: moving it
 * would lose the user's sources, connection profiles, views and settings for a fault that
 * lies elsewhere.
 */
export function isSqliteCorruption(error: unknown): boolean {
  const code = errorCode(error);
  return code !== null && /^SQLITE_(?:CORRUPT|NOTADB)(?:_|$)/u.test(code);
}

/** better-sqlite3's compiled part could not be loaded by this runtime. */
export function isNativeModuleLoadFailure(error: unknown): boolean {
  if (errorCode(error) === 'ERR_DLOPEN_FAILED') return true;
  const message = error instanceof Error ? error.message : '';
  return /NODE_MODULE_VERSION|was compiled against a different Node\.js version|Could not locate the bindings file|invalid ELF header|wrong ELF class|not a valid Win32 application/u.test(
    message,
  );
}

/** The error a user sees when the cache cannot be opened and was left untouched. */
export function cacheOpenError(error: unknown, file: string): AltarError {
  const detail = oneLine(error);
  if (isNativeModuleLoadFailure(error)) {
    return new AltarError(
      'INTERNAL',
      'The SQLite module (better-sqlite3) could not be loaded: it was built for another ' +
        `version of Node.js or Electron. The cache ${file} was left untouched. Reinstall ` +
        'Altar Viewer; from a checkout, run `npx electron-builder install-app-deps` for the ' +
        `desktop app or \`npm rebuild better-sqlite3\` for the CLI and tests. (${detail})`,
    );
  }
  const code = errorCode(error);
  const busy = code !== null && /^SQLITE_(?:BUSY|LOCKED)/u.test(code);
  return new AltarError(
    'INTERNAL',
    `The cache ${file} could not be opened${busy ? ': another Altar Viewer process is using it' : ''}; ` +
      `it was left untouched. (${code === null ? '' : `${code}: `}${detail})`,
  );
}

function errorCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  return typeof error.code === 'string' ? error.code : null;
}

/** Node's message spreads the two module versions over several lines; keep them, shortly. */
function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const flat = message.replace(/\s+/gu, ' ').trim();
  return flat.length > 400 ? `${flat.slice(0, 400)}…` : flat;
}
