import type { Database } from 'better-sqlite3';
import type { Db } from 'mongodb';
import { formatColumnPath } from '../../../shared/filter';

/** An Omniboard column definition, as a column id of the run table and Omniboard's name. */
export interface SuggestedColumn {
  columnId: string;
  label: string;
}

const LIMIT = 1000;
const CUSTOM = 'omniboard.custom.columns';
const METRIC = 'omniboard.metric.columns';

/**
 * Omniboard keeps its users' extra columns in two collections of the database:
 * `omniboard.custom.columns` ({name, config_path}, a dotted path under config) and
 * `omniboard.metric.columns` ({name, metric_name, extrema}). Null when they cannot be read
 * (not there, not authorized): the ones stored before are then kept.
 */
export async function readOmniboardColumns(db: Db): Promise<SuggestedColumn[] | null> {
  try {
    // Asking which exist first keeps a sync of a database without Omniboard to one command.
    const present = new Set(
      (
        await db.listCollections({ name: { $in: [CUSTOM, METRIC] } }, { nameOnly: true }).toArray()
      ).map((info) => info.name),
    );
    const out: SuggestedColumn[] = [];
    const custom = present.has(CUSTOM)
      ? await db.collection(CUSTOM).find({}).limit(LIMIT).toArray()
      : [];
    for (const doc of custom) {
      const path = typeof doc['config_path'] === 'string' ? doc['config_path'] : null;
      if (path === null || path.trim() === '') continue;
      const keys = path.replace(/^config\./u, '').split('.');
      out.push({
        columnId: formatColumnPath(['config', ...keys]),
        label: typeof doc['name'] === 'string' ? doc['name'] : path,
      });
    }
    const metric = present.has(METRIC)
      ? await db.collection(METRIC).find({}).limit(LIMIT).toArray()
      : [];
    for (const doc of metric) {
      const name = typeof doc['metric_name'] === 'string' ? doc['metric_name'] : null;
      if (name === null || name === '') continue;
      const extrema = doc['extrema'];
      // Omniboard's avg is our mean; its last_avg (mean of the last n points) has no
      // summary of ours, so it is offered as the last value.
      const aggregate =
        extrema === 'min' || extrema === 'max' ? extrema : extrema === 'avg' ? 'mean' : 'last';
      out.push({
        columnId: formatColumnPath(['metrics', name, aggregate]),
        label: typeof doc['name'] === 'string' ? doc['name'] : name,
      });
    }
    return out;
  } catch {
    return null;
  }
}

export function storeOmniboardColumns(
  database: Database,
  source: string,
  columns: readonly SuggestedColumn[],
): void {
  database.transaction(() => {
    database.prepare('DELETE FROM omniboard_columns WHERE source = ?').run(source);
    const insert = database.prepare(
      'INSERT OR IGNORE INTO omniboard_columns (source, column_id, label) VALUES (?, ?, ?)',
    );
    for (const column of columns) insert.run(source, column.columnId, column.label);
  })();
}

/** Copies the database's Omniboard columns into the cache for the source (during a sync). */
export async function syncOmniboardColumns(
  db: Db,
  database: Database,
  source: string,
): Promise<void> {
  const columns = await readOmniboardColumns(db);
  if (columns !== null) storeOmniboardColumns(database, source, columns);
}
