import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectNoStackTrace, runCli, workspace } from './cli-support';
import type { Workspace } from './cli-support';

// A data dir per test: one test adds a source, another expects none.
let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.remove());

const cli = (...args: string[]) => runCli(['--data-dir', ws.dataDir, ...args]);

describe('altar-viewer bad usage', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/u],
    ['an unknown flag', ['runs', '--colour'], /unknown option '--colour'/u],
    ['a flag of another command', ['sync', '--limit', '3'], /unknown option '--limit'/u],
    ['a missing NAME', ['sources', 'add'], /'sources add' needs NAME/u],
    ['a missing --folder', ['sources', 'add', 'x'], /needs --folder/u],
    ['a bad --limit', ['runs', '--limit', 'ten'], /--limit must be a whole number/u],
    ['a zero --limit', ['runs', '--limit', '0'], /--limit must be a whole number/u],
    ['a flag without its value', ['runs', '--limit'], /'--limit' needs a value/u],
    ['an unknown format', ['runs', '--format', 'xml'], /--format must be one of table, json, csv/u],
    ['a missing subcommand', ['sources'], /'sources' needs a subcommand/u],
    ['an extra argument', ['runs', 'extra'], /unexpected argument 'extra'/u],
  ];
  for (const [what, args, message] of cases) {
    it(`exits 2 with one line on stderr for ${what}`, async () => {
      const result = await cli(...args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^altar-viewer: .* \(see altar-viewer --help\)$/u);
      expect(lines[0]).toMatch(message);
      expect(expectNoStackTrace(result.stderr)).toBe(true);
    });
  }

  it('exits 2 for a folder that does not exist', async () => {
    const missing = join(ws.root, 'no-such-folder');
    const result = await cli('sources', 'add', 'gone', '--folder', missing);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `altar-viewer: the folder ${missing} does not exist (see altar-viewer --help)\n`,
    );
    const sources = await cli('sources', 'list', '--format', 'json');
    expect(JSON.parse(sources.stdout)).toEqual([]);
  });

  it('exits 2 when --folder is a file', async () => {
    const file = join(ws.root, 'a-file.txt');
    writeFileSync(file, 'x');
    const result = await cli('sources', 'add', 'f', '--folder', file);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is a file, not a folder/u);
  });

  it('exits 2 naming the parent folder when --folder is one run’s folder', async () => {
    const runDir = join(ws.root, 'runs', '7');
    mkdirSync(runDir, { recursive: true });
    writeFileSync(join(runDir, 'run.json'), '{}');
    const result = await cli('sources', 'add', 'one', '--folder', runDir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `altar-viewer: ${runDir} is one run's folder; add its parent folder: ` +
        `--folder ${join(ws.root, 'runs')} (see altar-viewer --help)\n`,
    );
    const sources = await cli('sources', 'list', '--format', 'json');
    expect(JSON.parse(sources.stdout)).toEqual([]);
  });

  it('reports core errors in one line: a bad name (2) and a duplicate source (1)', async () => {
    const bad = await cli('sources', 'add', 'has space', '--folder', ws.root);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^altar-viewer: .*may contain only letters/u);
    expect((await cli('sources', 'add', 'dup', '--folder', ws.root)).code).toBe(0);
    const duplicate = await cli('sources', 'add', 'dup', '--folder', ws.root);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toBe('altar-viewer: A source named "dup" already exists.\n');
    expect(expectNoStackTrace(duplicate.stderr)).toBe(true);
  });

  it('exits 2 when syncing an unknown source', async () => {
    const result = await cli('sync', 'nope');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('altar-viewer: There is no source named "nope".\n');
  });

  it('prints help and version on stdout with exit 0', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: altar-viewer/u);
    for (const command of ['serve', 'sources add', 'sync', 'runs', 'demo'])
      expect(help.stdout).toContain(command);
    const version = await runCli(['--version']);
    expect(version.stdout).toMatch(/^altar-viewer \d+\.\d+\.\d+\n$/u);
  });

  it('uses ALTAR_DATA_DIR when --data-dir is not given', async () => {
    const dir = join(ws.root, 'from-env');
    expect(
      (await runCli(['sources', 'add', 'env', '--folder', ws.root], { ALTAR_DATA_DIR: dir })).code,
    ).toBe(0);
    const listed = await runCli(['sources', 'list', '--format', 'json'], { ALTAR_DATA_DIR: dir });
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name: 'env' })]);
  });
});
