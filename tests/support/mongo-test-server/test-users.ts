// Users of an auth-enabled test server and what their roles allow.

/** The built-in roles the test server knows (mongod has more; labs use these). */
export const TEST_ROLE_NAMES = ['read', 'readWrite', 'userAdmin', 'dbOwner', 'root'] as const;
export type TestRoleName = (typeof TEST_ROLE_NAMES)[number];

export interface TestRole {
  role: TestRoleName;
  /**
   * A database name, or '*' for every database (readAnyDatabase, readWriteAnyDatabase,
   * userAdminAnyDatabase; `root` is always '*').
   */
  db: string;
}

export interface TestUser {
  user: string;
  password: string;
  /** The database the user is defined in (the client's authSource). Default 'admin'. */
  db?: string;
  roles: TestRole[];
}

export function userDb(user: TestUser): string {
  return user.db ?? 'admin';
}

const READS: ReadonlySet<TestRoleName> = new Set(['read', 'readWrite', 'dbOwner', 'root']);
const WRITES: ReadonlySet<TestRoleName> = new Set(['readWrite', 'dbOwner', 'root']);
const USER_ADMIN: ReadonlySet<TestRoleName> = new Set(['userAdmin', 'dbOwner', 'root']);

function grants(user: TestUser, db: string, names: ReadonlySet<TestRoleName>): boolean {
  return user.roles.some((role) => names.has(role.role) && (role.db === '*' || role.db === db));
}

export function canRead(user: TestUser, db: string): boolean {
  return grants(user, db, READS);
}

export function canWrite(user: TestUser, db: string): boolean {
  return grants(user, db, WRITES);
}

/** createUser, updateUser, dropUser, grant/revoke and usersInfo of others, on users of `db`. */
export function canAdministerUsers(user: TestUser, db: string): boolean {
  return grants(user, db, USER_ADMIN);
}

/** Only the any-database roles carry the cluster-wide listDatabases action. */
export function canListAllDatabases(user: TestUser): boolean {
  return user.roles.some((role) => role.db === '*' && READS.has(role.role));
}

/** A role as mongod names it in replies: the any-database forms live in admin. */
export function roleAsMongodNamesIt(role: TestRole): { role: string; db: string } {
  if (role.db !== '*') return { role: role.role, db: role.db };
  const anyDatabase: Record<TestRoleName, string> = {
    read: 'readAnyDatabase',
    readWrite: 'readWriteAnyDatabase',
    userAdmin: 'userAdminAnyDatabase',
    dbOwner: 'dbOwner',
    root: 'root',
  };
  return { role: anyDatabase[role.role], db: 'admin' };
}

/** The inverse of roleAsMongodNamesIt for a role a client names; null for an unknown role. */
export function roleFromMongodName(role: string, db: string): TestRole | null {
  const anyDatabase: Record<string, TestRoleName> = {
    readAnyDatabase: 'read',
    readWriteAnyDatabase: 'readWrite',
    userAdminAnyDatabase: 'userAdmin',
    root: 'root',
  };
  const any = anyDatabase[role];
  // mongod defines the any-database roles and root in admin only.
  if (any !== undefined) return db === 'admin' ? { role: any, db: '*' } : null;
  return (TEST_ROLE_NAMES as readonly string[]).includes(role) && role !== 'root'
    ? { role: role as TestRoleName, db }
    : null;
}
