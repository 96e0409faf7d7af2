import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, migrations } from '../../main/core/cache/migrations';
import { QueryEngine } from '../../main/core/query/query-engine';

/** A cache written before the run table existed (schema version 4) gains it on open. */
describe('migration 5 (run table)', () => {
  it('backfills the JSONB copy of existing runs and keeps it in step with later writes', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    for (const migration of migrations.slice(0, 4)) migration(db);
    db.pragma('user_version = 4');
    db.prepare(
      `INSERT INTO sources (name, kind, location, created_at) VALUES ('old', 'folder', '/x', 'now')`,
    ).run();
    const insert = db.prepare(
      `INSERT INTO runs (source, run_id, status, beat_interval, config, result, tags, info,
         host_info, experiment_info, meta, source_files, resources, warnings, fingerprint,
         captured_out, captured_out_bytes, captured_out_truncated, start_time)
       VALUES ('old', ?, 'COMPLETED', 10, ?, 'null', '[]', '{}', '{}', '{}', ?, '[]', '[]', '[]',
         'f', x'', 0, 0, ?)`,
    );
    insert.run(
      '1',
      '{"lr": 0.1, "a.b": {"c": "x"}}',
      '{"comment": "first"}',
      '2024-01-01T00:00:00Z',
    );
    insert.run('2', '{"lr": 0.01}', '{}', '2024-01-02T00:00:00Z');

    migrate(db);
    expect(Number(db.pragma('user_version', { simple: true }))).toBe(migrations.length);
    expect(db.prepare('SELECT COUNT(*) FROM run_json').pluck().get()).toBe(2);

    const engine = new QueryEngine(db, () => Date.UTC(2025, 0, 1));
    const query = () =>
      engine.query({
        where: 'config.lr < 1',
        columns: ['config."a.b".c', 'comment'],
        sort: [{ column: 'config.lr' }],
      });
    expect(query().rows.map((row) => [row.id, row.values])).toEqual([
      ['2', {}],
      ['1', { 'config."a.b".c': 'x', comment: 'first' }],
    ]);

    db.prepare(`UPDATE runs SET config = '{"lr": 5}' WHERE run_id = '2'`).run();
    expect(query().rows.map((row) => row.id)).toEqual(['1']);
    db.prepare(`DELETE FROM sources WHERE name = 'old'`).run();
    expect(db.prepare('SELECT COUNT(*) FROM run_json').pluck().get()).toBe(0);
    expect(engine.query({}).total).toBe(0);
  });
});
