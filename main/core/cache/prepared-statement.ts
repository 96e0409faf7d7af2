import type { Database, Statement } from 'better-sqlite3';

const statementsByDb = new WeakMap<Database, Map<string, Statement>>();

/**
 * The connection's prepared statement for `sql`, prepared once: the metric readers run the same
 * few statements for every chunk a zoom touches, and a run table page the same few for each of
 * its columns and sources; preparing each time cost more than those small reads.
 */
export function preparedStatement(db: Database, sql: string): Statement {
  let statements = statementsByDb.get(db);
  if (statements === undefined) {
    statements = new Map();
    statementsByDb.set(db, statements);
  }
  let statement = statements.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}
