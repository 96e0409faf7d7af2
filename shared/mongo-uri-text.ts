import type { ConnectionFields } from './contract';

function given(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

/**
 * The MongoDB URI that connection fields describe, as text: user, hosts, database and the
 * options the connection form shows. Nothing is checked here: the core validates hosts and
 * normalises the result with the official parser; the form only shows what was typed.
 */
export function mongoUriText(fields: ConnectionFields): string {
  const scheme = fields.srv === true ? 'mongodb+srv' : 'mongodb';
  const user = given(fields.user) ? `${encodeURIComponent(fields.user)}@` : '';
  const hosts = fields.hosts.map((host) => host.trim()).join(',');
  const database = given(fields.database) ? encodeURIComponent(fields.database) : '';
  const params: string[] = [];
  const param = (key: string, value: string | boolean | undefined): void => {
    if (typeof value === 'boolean' || given(value)) {
      params.push(`${key}=${encodeURIComponent(String(value))}`);
    }
  };
  param('authSource', fields.authSource);
  param('tls', fields.tls);
  param('tlsCAFile', fields.tlsCAFile);
  if (fields.tlsAllowInvalidHostnames === true) param('tlsAllowInvalidHostnames', true);
  param('replicaSet', fields.replicaSet);
  param('directConnection', fields.directConnection);
  const query = params.length > 0 ? `?${params.join('&')}` : '';
  return `${scheme}://${user}${hosts}/${database}${query}`;
}
