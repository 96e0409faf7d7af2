// A light command starts fast because it loads only what it needs: the built CLI (split into
// chunks by build/build-main.mjs) answers --version and --help without the MongoDB driver, the
// AWS SDK or zod, and lists sources without the AWS SDK. The bundle is built into a private
// folder so the test sees this checkout's code, not whatever dist/ holds.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'altar-cli-imports-'));
const hook = join(root, 'tests/support/record-imports.mjs');

/** Runs the built CLI; resolves to its output and the packages its imports reached. */
function runBuiltCli(...args: string[]): { out: string; packages: string[] } {
  const log = join(work, `imports-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(log, '');
  const out = execFileSync(
    process.execPath,
    ['--import', hook, join(work, 'dist/cli.mjs'), '--data-dir', join(work, 'data'), ...args],
    { env: { ...process.env, ALTAR_IMPORT_LOG: log }, encoding: 'utf8', timeout: 60_000 },
  );
  const packages = new Set(
    readFileSync(log, 'utf8')
      .split('\n')
      .flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//u.exec(url)?.[1] ?? []),
  );
  return { out, packages: [...packages].sort() };
}

beforeAll(() => {
  // Packages resolve from the bundle's folder upwards: give the private build our node_modules.
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'), 'dir');
  execFileSync(process.execPath, [join(root, 'build/build-main.mjs'), '--out', join(work, 'dist')]);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const HEAVY = ['mongodb', 'bson', '@aws-sdk/client-s3', 'zod', 'better-sqlite3'];

describe('the built CLI loads only what a command needs', () => {
  it('answers --version without loading any package', () => {
    const { out, packages } = runBuiltCli('--version');
    expect(out).toMatch(/^altar-viewer \d+\.\d+\.\d+/u);
    expect(packages.filter((p) => HEAVY.includes(p))).toEqual([]);
  });

  it('answers --help without loading any package', () => {
    const { out, packages } = runBuiltCli('--help');
    expect(out).toContain('sources list');
    expect(packages.filter((p) => HEAVY.includes(p))).toEqual([]);
  });

  it('lists sources from the cache without the AWS SDK', () => {
    const { out, packages } = runBuiltCli('sources', 'list');
    expect(out).toContain('No sources yet');
    // The cache is read, so SQLite is loaded: the recorder does see a command's packages.
    expect(packages).toContain('better-sqlite3');
    expect(packages.filter((p) => p.startsWith('@aws-sdk/'))).toEqual([]);
  });
});
