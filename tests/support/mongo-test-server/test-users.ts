// Users of an auth-enabled test server and what their roles allow.
export interface TestRole {
  role: 'read' | 'readWrite';
  /** A database name, or '*' for every database (readAnyDatabase / readWriteAnyDatabase). */
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

export function canRead(user: TestUser, db: string): boolean {
  return user.roles.some((role) => role.db === '*' || role.db === db);
}

export function canWrite(user: TestUser, db: string): boolean {
  return user.roles.some(
    (role) => role.role === 'readWrite' && (role.db === '*' || role.db === db),
  );
}

/** Only the any-database roles carry the cluster-wide listDatabases action. */
export function canListAllDatabases(user: TestUser): boolean {
  return user.roles.some((role) => role.db === '*');
}
