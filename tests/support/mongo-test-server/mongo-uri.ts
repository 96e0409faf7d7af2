// Connection strings for the test server (or a real MongoDB) with credentials.

/** `mongodb://user:password@host:port/?authSource=admin`, keeping the URI's path and options. */
export function mongoUriWithCredentials(
  uri: string,
  user: string,
  password: string,
  authSource = 'admin',
): string {
  const match = /^(mongodb(?:\+srv)?:\/\/)(?:[^@/]*@)?([^/?]*)(\/[^?]*)?(?:\?(.*))?$/u.exec(uri);
  if (!match) throw new Error(`not a MongoDB connection string: ${uri}`);
  const [, scheme, hosts, path, query] = match;
  const params = new URLSearchParams(query ?? '');
  params.set('authSource', authSource);
  const credentials = `${encodeURIComponent(user)}:${encodeURIComponent(password)}@`;
  return `${scheme}${credentials}${hosts}${path || '/'}?${params.toString()}`;
}
