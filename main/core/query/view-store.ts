import type { Database } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { JsonObject, View } from '../../../shared/contract';
import { AltarError } from '../../../shared/errors';
import { DEFAULT_COLUMNS, DEFAULT_SORT } from '../../../shared/filter';
import type { SortSpec } from '../../../shared/filter';

export interface ViewInput {
  id?: string | undefined;
  name: string;
  columns: string[];
  filter: string;
  sort: SortSpec[];
  sources: string[] | null;
  isDefault?: boolean | undefined;
  layout?: JsonObject | undefined;
}

interface ViewRow {
  id: string;
  name: string;
  columns: string;
  filter: string;
  sort: string;
  sources: string | null;
  is_default: number;
  layout: string;
  created_at: string;
  updated_at: string;
}

export const DEFAULT_VIEW_NAME = 'All runs';

/**
 * Saved run-table views in the cache (migration 5). There is always at least one view and
 * exactly one default: the store re-creates "All runs" when the last view goes.
 */
export class ViewStore {
  constructor(
    private readonly db: Database,
    private readonly now: () => number,
  ) {}

  list(): View[] {
    this.ensureOne();
    const rows = this.db
      .prepare('SELECT * FROM views ORDER BY name COLLATE NOCASE, id')
      .all() as ViewRow[];
    return rows.map(fromRow);
  }

  get(id: string): View {
    const row = this.db.prepare('SELECT * FROM views WHERE id = ?').get(id) as ViewRow | undefined;
    if (row === undefined) throw new AltarError('NOT_FOUND', `There is no view "${id}".`);
    return fromRow(row);
  }

  save(input: ViewInput): View {
    return this.db.transaction((): View => {
      const at = new Date(this.now()).toISOString();
      const existing = input.id === undefined ? null : this.get(input.id);
      this.requireFreeName(input.name, existing?.id ?? null);
      const id = existing?.id ?? randomUUID();
      const isDefault = input.isDefault ?? existing?.isDefault ?? false;
      if (isDefault) this.db.prepare('UPDATE views SET is_default = 0').run();
      this.db
        .prepare(
          `INSERT INTO views (id, name, columns, filter, sort, sources, is_default, layout,
             created_at, updated_at)
           VALUES (@id, @name, @columns, @filter, @sort, @sources, @is_default, @layout, @at, @at)
           ON CONFLICT (id) DO UPDATE SET name = excluded.name, columns = excluded.columns,
             filter = excluded.filter, sort = excluded.sort, sources = excluded.sources,
             is_default = excluded.is_default, layout = excluded.layout,
             updated_at = excluded.updated_at`,
        )
        .run({
          id,
          name: input.name,
          columns: JSON.stringify(input.columns),
          filter: input.filter,
          sort: JSON.stringify(input.sort),
          sources: input.sources === null ? null : JSON.stringify(input.sources),
          is_default: isDefault ? 1 : 0,
          layout: JSON.stringify(input.layout ?? existing?.layout ?? {}),
          at,
        });
      this.ensureDefault();
      return this.get(id);
    })();
  }

  rename(id: string, name: string): View {
    return this.db.transaction((): View => {
      this.get(id);
      this.requireFreeName(name, id);
      this.db
        .prepare('UPDATE views SET name = ?, updated_at = ? WHERE id = ?')
        .run(name, new Date(this.now()).toISOString(), id);
      return this.get(id);
    })();
  }

  delete(id: string): void {
    this.db.transaction(() => {
      this.get(id);
      this.db.prepare('DELETE FROM views WHERE id = ?').run(id);
      this.ensureOne();
      this.ensureDefault();
    })();
  }

  private requireFreeName(name: string, selfId: string | null): void {
    const other = this.db
      .prepare('SELECT id FROM views WHERE name = ? COLLATE NOCASE')
      .pluck()
      .get(name) as string | undefined;
    if (other !== undefined && other !== selfId) {
      throw new AltarError('ALREADY_EXISTS', `A view named "${name}" already exists.`);
    }
  }

  private ensureOne(): void {
    const count = this.db.prepare('SELECT COUNT(*) FROM views').pluck().get() as number;
    if (count > 0) return;
    const at = new Date(this.now()).toISOString();
    this.db
      .prepare(
        `INSERT INTO views (id, name, columns, filter, sort, sources, is_default, layout,
           created_at, updated_at) VALUES (?, ?, ?, '', ?, NULL, 1, '{}', ?, ?)`,
      )
      .run(
        randomUUID(),
        DEFAULT_VIEW_NAME,
        JSON.stringify(DEFAULT_COLUMNS),
        JSON.stringify(DEFAULT_SORT),
        at,
        at,
      );
  }

  /** Exactly one default: the oldest view when none is marked. */
  private ensureDefault(): void {
    const marked = this.db
      .prepare('SELECT COUNT(*) FROM views WHERE is_default = 1')
      .pluck()
      .get() as number;
    if (marked === 1) return;
    this.db.prepare('UPDATE views SET is_default = 0').run();
    this.db
      .prepare(
        `UPDATE views SET is_default = 1 WHERE id =
           (SELECT id FROM views ORDER BY created_at, rowid LIMIT 1)`,
      )
      .run();
  }
}

function fromRow(row: ViewRow): View {
  return {
    id: row.id,
    name: row.name,
    columns: JSON.parse(row.columns) as string[],
    filter: row.filter,
    sort: JSON.parse(row.sort) as SortSpec[],
    sources: row.sources === null ? null : (JSON.parse(row.sources) as string[]),
    isDefault: row.is_default === 1,
    layout: JSON.parse(row.layout) as JsonObject,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
