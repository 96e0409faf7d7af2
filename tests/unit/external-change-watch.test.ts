import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchExternalChanges } from '../../main/core/cache/external-change-watch';

// Issue 14 item 10: what another process commits to the cache reaches the open window.

let dir: string;
let ours: Database.Database;
let theirs: Database.Database;

beforeEach(() => {
  vi.useFakeTimers();
  dir = mkdtempSync(path.join(tmpdir(), 'altar-external-change-'));
  const file = path.join(dir, 'cache.sqlite');
  ours = new Database(file);
  ours.pragma('journal_mode = WAL');
  ours.exec('CREATE TABLE sources (name TEXT PRIMARY KEY)');
  theirs = new Database(file);
});

afterEach(() => {
  vi.useRealTimers();
  ours.close();
  theirs.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('external change watch', () => {
  it('tells once per poll when another connection committed, never for our own writes', () => {
    const onChange = vi.fn();
    const watch = watchExternalChanges(ours, onChange, { intervalMs: 100 });

    ours.prepare('INSERT INTO sources VALUES (?)').run('ours');
    vi.advanceTimersByTime(300);
    expect(onChange).not.toHaveBeenCalled();

    theirs.prepare('INSERT INTO sources VALUES (?)').run('from-the-cli');
    theirs.prepare('INSERT INTO sources VALUES (?)').run('second');
    vi.advanceTimersByTime(100);
    expect(onChange).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(300);
    expect(onChange).toHaveBeenCalledTimes(1);

    theirs.prepare('DELETE FROM sources WHERE name = ?').run('second');
    vi.advanceTimersByTime(100);
    expect(onChange).toHaveBeenCalledTimes(2);

    watch.stop();
    theirs.prepare('INSERT INTO sources VALUES (?)').run('after-stop');
    vi.advanceTimersByTime(300);
    expect(onChange).toHaveBeenCalledTimes(2);
  });

  it('tells nothing when another process only wrote what no window shows', () => {
    ours.exec('CREATE TABLE scratch (x INTEGER)');
    const shown = ours.prepare("SELECT ifnull(group_concat(name, ','), '') FROM sources").pluck();
    const onChange = vi.fn();
    watchExternalChanges(ours, onChange, {
      intervalMs: 100,
      fingerprint: () => String(shown.get()),
    });
    theirs.prepare('INSERT INTO scratch VALUES (1)').run();
    vi.advanceTimersByTime(300);
    expect(onChange).not.toHaveBeenCalled();
    theirs.prepare('INSERT INTO sources VALUES (?)').run('from-the-cli');
    vi.advanceTimersByTime(100);
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it('goes quiet when the connection is closed under it', () => {
    const onChange = vi.fn();
    watchExternalChanges(ours, onChange, { intervalMs: 100 });
    theirs.prepare('INSERT INTO sources VALUES (?)').run('x');
    ours.close();
    expect(() => vi.advanceTimersByTime(300)).not.toThrow();
    expect(onChange).not.toHaveBeenCalled();
    ours = new Database(path.join(dir, 'cache.sqlite'));
  });
});
