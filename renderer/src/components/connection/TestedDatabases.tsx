import type { DatabaseList } from '../../../../shared/contract';

interface Props {
  list: DatabaseList;
  /** The database to open once the connection is saved; '' for none picked. */
  picked: string;
  onPick: (database: string) => void;
}

function runCount(db: DatabaseList['databases'][number]): number {
  return db.sacred.reduce((sum, collection) => sum + collection.runCount, 0);
}

/**
 * The databases a successful "Test connection" saw, so the user can choose one before saving
 * rather than discover after Save that the runs live elsewhere. Save then opens that database.
 */
export function TestedDatabases({ list, picked, onPick }: Props) {
  if (list.databases.length === 0) {
    return (
      <div className="muted" data-testid="conn-databases-none">
        {list.complete
          ? 'No databases on this server yet.'
          : 'This user may not list databases; type one after saving.'}
      </div>
    );
  }
  return (
    <label className="field" data-testid="conn-databases">
      <span>Database to open after Save</span>
      <select
        data-testid="conn-database-picker"
        value={picked}
        onChange={(event) => onPick(event.target.value)}
      >
        <option value="">Choose after saving</option>
        {list.databases.map((db) => {
          const runs = runCount(db);
          return (
            <option key={db.name} value={db.name}>
              {db.name} —{' '}
              {runs === 0 ? 'no Sacred runs' : `${runs} Sacred run${runs === 1 ? '' : 's'}`}
            </option>
          );
        })}
      </select>
    </label>
  );
}
