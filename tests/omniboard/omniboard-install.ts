// Real Omniboard (npm `omniboard`, its Express server on mongoose 5 / MongoDB driver 3.7),
// installed on demand into .cache/omniboard: it is a tool we test against, not a dependency
// of the app, and its ~800 packages (~530 MB, Babel and its web build included) have no
// business in the app's node_modules or lock file. Its own lock file (install/) pins every
// package, so a new release of one of them cannot change what the test runs against.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

export const OMNIBOARD_VERSION = '2.16.1';
export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const omniboardPrefix = path.join(repoRoot, '.cache', 'omniboard');
const packageDir = path.join(omniboardPrefix, 'node_modules', 'omniboard');
const lockDir = path.join(import.meta.dirname, 'install');
/** The hash of the lock file the cache was installed from. */
const stampFile = path.join(omniboardPrefix, '.altar-installed-lock');

function lockHash(): string {
  return createHash('sha256')
    .update(readFileSync(path.join(lockDir, 'package-lock.json')))
    .digest('hex');
}

function installedStamp(): string | null {
  try {
    return readFileSync(stampFile, 'utf8').trim();
  } catch {
    return null;
  }
}

export interface OmniboardInstall {
  /** The compiled server (`bin.omniboard` of the package). */
  entry: string;
  packageDir: string;
  /** Seconds the npm install took; null when the cache already held this version. */
  installSeconds: number | null;
}

function installedVersion(): string | null {
  try {
    const pkg = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : null;
  } catch {
    return null;
  }
}

function entryPoint(): string {
  const entry = path.join(packageDir, 'dist', 'start.js');
  if (!existsSync(entry)) throw new Error(`omniboard is installed but ${entry} is missing`);
  return entry;
}

/**
 * Installs omniboard@2.16.1 into .cache/omniboard (`npm ci` from install/'s lock file)
 * unless the cache holds that install already. Nothing in it is built natively (its only
 * install script is core-js's advert), so this needs the npm registry and nothing else.
 */
export async function ensureOmniboard(): Promise<OmniboardInstall> {
  const wanted = lockHash();
  if (installedVersion() === OMNIBOARD_VERSION && installedStamp() === wanted) {
    return { entry: entryPoint(), packageDir, installSeconds: null };
  }
  mkdirSync(omniboardPrefix, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) {
    copyFileSync(path.join(lockDir, file), path.join(omniboardPrefix, file));
  }
  const started = Date.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  try {
    await promisify(execFile)(
      npm,
      ['ci', '--prefix', omniboardPrefix, '--no-audit', '--no-fund', '--loglevel=error'],
      { cwd: omniboardPrefix, maxBuffer: 16 * 1024 * 1024, timeout: 15 * 60_000 },
    );
  } catch (error) {
    const detail = error as { stderr?: string; message?: string };
    throw new Error(
      `could not install omniboard@${OMNIBOARD_VERSION} into ${omniboardPrefix} ` +
        `(it needs the npm registry): ${detail.stderr?.trim() || detail.message || String(error)}`,
      { cause: error },
    );
  }
  const version = installedVersion();
  if (version !== OMNIBOARD_VERSION) {
    throw new Error(`npm installed omniboard ${version ?? 'nothing'}, not ${OMNIBOARD_VERSION}`);
  }
  writeFileSync(stampFile, `${wanted}\n`);
  return { entry: entryPoint(), packageDir, installSeconds: (Date.now() - started) / 1000 };
}
