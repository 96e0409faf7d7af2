import { describe, expect, it } from 'vitest';
import {
  connectionFieldsFromForm,
  emptyFormFields,
  formFieldsFromProfile,
  formatConnectionTest,
  parseHosts,
  passwordStateLabel,
  redactUri,
  uriFromFields,
} from '../../renderer/src/model/connection-form';
import { ConnectionFieldsSchema } from '../../shared/contract';

describe('parseHosts', () => {
  it('accepts one host per line, comma-separated, or both, ignoring blanks', () => {
    expect(parseHosts('a:27017\nb:27018, c:27019\n\n')).toEqual(['a:27017', 'b:27018', 'c:27019']);
    expect(parseHosts('  ,\n ')).toEqual([]);
  });

  it('keeps IPv6 literals and ports intact', () => {
    expect(parseHosts('[::1]:27017,localhost')).toEqual(['[::1]:27017', 'localhost']);
  });
});

describe('connectionFieldsFromForm', () => {
  it('leaves blanks and unchecked boxes out so the driver defaults apply', () => {
    const result = connectionFieldsFromForm({ ...emptyFormFields, hosts: 'db.lab:27017' });
    expect(result).toEqual({ ok: true, fields: { hosts: ['db.lab:27017'] } });
  });

  it('produces fields the contract schema accepts', () => {
    const result = connectionFieldsFromForm({
      hosts: 'a:1\nb:2',
      srv: false,
      user: ' alice ',
      authSource: 'admin',
      tls: true,
      tlsCAFile: '/etc/ca.pem',
      tlsAllowInvalidHostnames: true,
      replicaSet: 'rs0',
      directConnection: true,
      database: 'sacred',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.fields).toEqual({
      hosts: ['a:1', 'b:2'],
      user: 'alice',
      authSource: 'admin',
      tls: true,
      tlsCAFile: '/etc/ca.pem',
      tlsAllowInvalidHostnames: true,
      replicaSet: 'rs0',
      directConnection: true,
      database: 'sacred',
    });
    expect(ConnectionFieldsSchema.safeParse(result.fields).success).toBe(true);
  });

  it('drops the CA file and the host name exception when TLS is off', () => {
    const result = connectionFieldsFromForm({
      ...emptyFormFields,
      hosts: 'a',
      tls: false,
      tlsCAFile: '/etc/ca.pem',
      tlsAllowInvalidHostnames: true,
    });
    expect(result).toEqual({ ok: true, fields: { hosts: ['a'] } });
  });

  it('refuses a form without hosts, too many hosts, or SRV with several hosts', () => {
    const none = connectionFieldsFromForm({ ...emptyFormFields, hosts: ' \n' });
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.error).toMatch(/at least one host/u);
    const many = connectionFieldsFromForm({
      ...emptyFormFields,
      hosts: Array.from({ length: 51 }, (_, i) => `h${i}`).join(','),
    });
    expect(many.ok).toBe(false);
    const srv = connectionFieldsFromForm({ ...emptyFormFields, hosts: 'a,b', srv: true });
    expect(srv.ok).toBe(false);
    if (!srv.ok) expect(srv.error).toMatch(/SRV/u);
  });

  it('round-trips through the fields a profile returns', () => {
    const fields = {
      hosts: ['a:1', 'b:2'],
      user: 'alice',
      tls: true,
      tlsCAFile: '/ca.pem',
      directConnection: true,
    };
    expect(connectionFieldsFromForm(formFieldsFromProfile(fields))).toEqual({ ok: true, fields });
  });
});

describe('uriFromFields', () => {
  it('builds a plain URI for a single host', () => {
    expect(uriFromFields({ hosts: ['localhost:27017'] })).toBe('mongodb://localhost:27017/');
  });

  it('puts user, hosts, database and options where a MongoDB URI has them', () => {
    const uri = uriFromFields({
      hosts: ['a:1', 'b:2'],
      user: 'al ice@lab',
      authSource: 'admin',
      tls: true,
      tlsCAFile: '/etc/my ca.pem',
      replicaSet: 'rs0',
      directConnection: true,
      database: 'sacred',
    });
    expect(uri).toBe(
      'mongodb://al%20ice%40lab@a:1,b:2/sacred?authSource=admin&tls=true&tlsCAFile=%2Fetc%2Fmy%20ca.pem&replicaSet=rs0&directConnection=true',
    );
    const url = new URL(uri.replace('mongodb://', 'http://').replace('a:1,b:2', 'a'));
    expect(url.searchParams.get('tlsCAFile')).toBe('/etc/my ca.pem');
    expect(decodeURIComponent(url.username)).toBe('al ice@lab');
  });

  it('uses the SRV scheme and a slash before options without a database', () => {
    expect(
      uriFromFields({ hosts: ['cluster0.x.mongodb.net'], srv: true, authSource: 'admin' }),
    ).toBe('mongodb+srv://cluster0.x.mongodb.net/?authSource=admin');
  });
});

describe('redactUri', () => {
  it('masks a password typed into a URI', () => {
    expect(redactUri('mongodb://alice:s3cr%40t@db:27017/x')).toBe(
      'mongodb://alice:****@db:27017/x',
    );
    expect(redactUri('mongodb+srv://bob:pw@cluster/')).toBe('mongodb+srv://bob:****@cluster/');
  });

  it('leaves URIs without a password alone, including host ports', () => {
    expect(redactUri('mongodb://alice@db:27017/x')).toBe('mongodb://alice@db:27017/x');
    expect(redactUri('mongodb://db:27017/?authSource=a@b')).toBe(
      'mongodb://db:27017/?authSource=a@b',
    );
  });
});

describe('labels', () => {
  it('names where the password lives', () => {
    expect(passwordStateLabel({ passwordStorage: 'keystore' })).toBe('saved in keystore');
    expect(passwordStateLabel({ passwordStorage: 'memory' })).toBe('in memory for this session');
    expect(passwordStateLabel({ passwordStorage: 'none' })).toBe('no password');
  });

  it('reports a connection test with version and rounded round-trip time', () => {
    expect(formatConnectionTest({ serverVersion: '7.0.0', roundTripMs: 2.6 })).toBe(
      'Connected: MongoDB 7.0.0, 3 ms',
    );
  });
});
