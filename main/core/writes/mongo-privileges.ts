import type { Db } from 'mongodb';

/** What the server says the connection's user may do with a source's runs. */
export interface WriteCheck {
  /** null: the answer did not say (custom roles without their privileges). */
  canWrite: boolean | null;
  /** Why not, or what is unknown; null when the user may write. */
  message: string | null;
}

/** Built-in roles that may update a collection of the role's own database. */
const WRITE_ROLES_ON_DB = new Set(['readWrite', 'dbOwner']);
/** Built-in roles (defined in admin) that may update collections of every database. */
const WRITE_ROLES_ANY_DB = new Set(['readWriteAnyDatabase', 'root', '__system']);
/** Built-in roles known not to update documents (reads, administration, monitoring). */
const READ_ONLY_ROLES = new Set([
  'read',
  'readAnyDatabase',
  'dbAdmin',
  'dbAdminAnyDatabase',
  'userAdmin',
  'userAdminAnyDatabase',
  'clusterMonitor',
  'clusterManager',
  'hostManager',
  'clusterAdmin',
  'backup',
  'enableSharding',
  'directShardOperations',
  'searchCoordinator',
]);

const BUILT_IN_ROLES = new Set([...READ_ONLY_ROLES, ...WRITE_ROLES_ON_DB, ...WRITE_ROLES_ANY_DB]);

interface RoleRef {
  role?: unknown;
  db?: unknown;
}
interface Privilege {
  resource?: { db?: unknown; collection?: unknown; anyResource?: unknown; cluster?: unknown };
  actions?: unknown;
}

/**
 * Asks the server (connectionStatus with showPrivileges, as `db.runCommand` in mongosh) whether
 * the user may update the source's runs collection, without trying a write. The privileges,
 * when the server lists them, are the answer (they include custom roles); otherwise the
 * built-in roles are judged by name. A server without access control authenticates nobody and
 * lets everyone write.
 */
export async function checkUserCanWrite(db: Db, runsCollection: string): Promise<WriteCheck> {
  const status = await db.command({ connectionStatus: 1, showPrivileges: true });
  const authInfo = (status.authInfo ?? {}) as {
    authenticatedUsers?: unknown;
    authenticatedUserRoles?: unknown;
    authenticatedUserPrivileges?: unknown;
  };
  const users = Array.isArray(authInfo.authenticatedUsers) ? authInfo.authenticatedUsers : [];
  if (users.length === 0) return { canWrite: true, message: null };
  const database = db.databaseName;
  const readOnly: WriteCheck = {
    canWrite: false,
    message: `this user can only read ${database}`,
  };
  if (Array.isArray(authInfo.authenticatedUserPrivileges)) {
    const privileges = authInfo.authenticatedUserPrivileges as Privilege[];
    return privileges.some((privilege) => allowsUpdate(privilege, database, runsCollection))
      ? { canWrite: true, message: null }
      : readOnly;
  }
  const roles = (
    Array.isArray(authInfo.authenticatedUserRoles) ? authInfo.authenticatedUserRoles : []
  ) as RoleRef[];
  const writes = roles.some(
    (ref) =>
      (WRITE_ROLES_ON_DB.has(String(ref.role)) && ref.db === database) ||
      (WRITE_ROLES_ANY_DB.has(String(ref.role)) && ref.db === 'admin'),
  );
  if (writes) return { canWrite: true, message: null };
  // Built-in roles are known whatever database they name (readWrite on another one gives
  // nothing here); only custom roles leave the answer open.
  const unknown = roles.filter((ref) => !BUILT_IN_ROLES.has(String(ref.role)));
  if (unknown.length === 0) return readOnly;
  return {
    canWrite: null,
    message:
      `the server did not say whether the role${unknown.length > 1 ? 's' : ''} ` +
      `${unknown.map((ref) => `${String(ref.role)}@${String(ref.db)}`).join(', ')} may ` +
      `write to ${database}; writes may be refused`,
  };
}

function allowsUpdate(privilege: Privilege, database: string, collection: string): boolean {
  const actions = Array.isArray(privilege.actions) ? (privilege.actions as unknown[]) : [];
  if (!actions.includes('update')) return false;
  const resource = privilege.resource ?? {};
  if (resource.anyResource === true) return true;
  if (resource.cluster === true) return false;
  const dbMatches = resource.db === '' || resource.db === database;
  const collectionMatches = resource.collection === '' || resource.collection === collection;
  return dbMatches && collectionMatches;
}
