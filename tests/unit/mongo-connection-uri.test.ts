import { describe, expect, it } from 'vitest';
import type { ConnectionFields } from '../../shared/contract';
import { AltarError } from '../../shared/errors';
import {
  authSourceOf,
  fieldsToUri,
  hostsOf,
  redactUri,
  stripPassword,
  uriToFields,
} from '../../main/core/mongo/connection-uri';
import { redactSecrets } from '../../main/core/mongo/redact';

const PASSWORD = 'S3cret-Pa55!';

function thrown(action: () => unknown): AltarError {
  try {
    action();
  } catch (error) {
    if (error instanceof AltarError) return error;
    throw error;
  }
  throw new Error('expected an AltarError');
}

describe('fieldsToUri / uriToFields', () => {
  const cases: Array<[string, ConnectionFields]> = [
    ['a local server', { hosts: ['localhost:27017'] }],
    [
      'a lab server with a user and authSource',
      { hosts: ['lab.example.org:27018'], user: 'alice', authSource: 'admin', database: 'sacred' },
    ],
    [
      'an Atlas cluster',
      { hosts: ['cluster0.abcde.mongodb.net'], srv: true, user: 'bob', database: 'experiments' },
    ],
    [
      'a replica set with TLS and a CA file',
      {
        hosts: ['db1.lab:27017', 'db2.lab:27017', 'db3.lab:27017'],
        replicaSet: 'rs0',
        tls: true,
        tlsCAFile: '/etc/ssl/lab ca.pem',
        authSource: 'users',
        user: 'carol',
      },
    ],
    [
      'TLS accepting a certificate for another host name',
      {
        hosts: ['10.0.0.5:27017'],
        tls: true,
        tlsCAFile: '/ca.pem',
        tlsAllowInvalidHostnames: true,
      },
    ],
    [
      'a direct connection to one member',
      { hosts: ['db2.lab:27017'], directConnection: true, tls: false },
    ],
    ['an IPv6 host', { hosts: ['[::1]:27017'] }],
  ];

  it.each(cases)('round-trips %s', (_label, fields) => {
    const uri = fieldsToUri(fields);
    expect(uriToFields(uri)).toEqual(fields);
  });

  it('writes the scheme, hosts, default database and options into the URI', () => {
    expect(
      fieldsToUri({
        hosts: ['db1:27017', 'db2:27017'],
        user: 'alice',
        authSource: 'admin',
        replicaSet: 'rs0',
        tls: true,
        database: 'sacred',
      }),
    ).toBe('mongodb://alice@db1:27017,db2:27017/sacred?authSource=admin&tls=true&replicaSet=rs0');
    expect(fieldsToUri({ hosts: ['cluster0.example.net'], srv: true })).toBe(
      'mongodb+srv://cluster0.example.net/',
    );
  });

  it('percent-encodes a user name with reserved characters and decodes it back', () => {
    const uri = fieldsToUri({ hosts: ['h:1'], user: 'dr. ann@lab:x/y' });
    expect(uri).toBe('mongodb://dr.%20ann%40lab%3Ax%2Fy@h:1/');
    expect(uriToFields(uri).user).toBe('dr. ann@lab:x/y');
  });

  it('rejects a srv connection with several hosts or a port', () => {
    expect(thrown(() => fieldsToUri({ hosts: ['a.net', 'b.net'], srv: true })).code).toBe(
      'INVALID_ARGUMENT',
    );
    expect(thrown(() => fieldsToUri({ hosts: ['a.net:27017'], srv: true })).message).toMatch(
      /takes no port/u,
    );
  });

  it('rejects hosts that would smuggle credentials or a path into the URI', () => {
    for (const host of ['evil@h', 'h/db', 'h?x=1', '', 'a b']) {
      expect(thrown(() => fieldsToUri({ hosts: [host] })).code).toBe('INVALID_ARGUMENT');
    }
  });

  it('reads tls from the legacy ssl option and keeps unknown options out of the fields', () => {
    expect(uriToFields('mongodb://h:1/?ssl=true&maxPoolSize=3')).toEqual({
      hosts: ['h:1'],
      tls: true,
    });
  });
});

describe('stripPassword', () => {
  it('moves the password out of the URI', () => {
    const encoded = encodeURIComponent(PASSWORD);
    const result = stripPassword(`mongodb://alice:${encoded}@h:27017/sacred?authSource=admin`);
    expect(result).toEqual({
      uri: 'mongodb://alice@h:27017/sacred?authSource=admin',
      password: PASSWORD,
    });
  });

  it('decodes percent-encoded passwords and keeps a URI without one as it is', () => {
    expect(stripPassword('mongodb+srv://u:p%40ss%3Aw%2Fd@c.example.net/').password).toBe(
      'p@ss:w/d',
    );
    expect(stripPassword('mongodb://u@h:1/')).toEqual({ uri: 'mongodb://u@h:1/', password: null });
    expect(stripPassword('mongodb://u:@h:1/').password).toBeNull();
  });
});

describe('redactUri', () => {
  it('shows user:****@ instead of the password', () => {
    expect(redactUri(`mongodb://alice:${PASSWORD}@h:1/db`)).toBe('mongodb://alice:****@h:1/db');
    expect(redactUri('mongodb://alice@h:1/db')).toBe('mongodb://alice@h:1/db');
  });

  it('masks the password even in a URI the parser rejects', () => {
    const shown = redactUri(`mongodb://alice:${PASSWORD}@`);
    expect(shown).not.toContain(PASSWORD);
    expect(shown).toContain('alice:****@');
  });
});

describe('invalid URIs', () => {
  it.each([
    ['http://alice:S3cret-Pa55!@h:1/', /mongodb:\/\//u],
    ['mongodb://alice:S3cret-Pa55!@', /host/u],
    ['mongodb://alice:S3cret-Pa55!@h:99999/', /port|Invalid/u],
    // Unescaped '/', '#' or '@' in the password: the parser gives up, the mask still holds.
    ['mongodb://alice:S3cret/Pa55!@h:1/', /unescaped/u],
    ['mongodb://alice:S3cret#Pa55!@h:1/', /unescaped/u],
    ['mongodb://alice:S3cret@Pa55!@h:1/', /Invalid/u],
  ])('gives INVALID_ARGUMENT for %s without echoing the password', (uri, reason) => {
    const error = thrown(() => uriToFields(uri));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(reason);
    for (const part of ['S3cret', 'Pa55']) {
      expect(error.message).not.toContain(part);
      expect(thrown(() => stripPassword(uri)).message).not.toContain(part);
      expect(redactUri(uri)).not.toContain(part);
    }
  });
});

describe('authSourceOf / hostsOf', () => {
  it('authenticates against authSource, else the default database, else admin', () => {
    expect(authSourceOf('mongodb://u@h/db?authSource=users')).toBe('users');
    expect(authSourceOf('mongodb://u@h/db')).toBe('db');
    expect(authSourceOf('mongodb://u@h/')).toBe('admin');
  });

  it('names each server with its port', () => {
    expect(hostsOf('mongodb://a,b:27018/')).toEqual(['a:27017', 'b:27018']);
  });
});

describe('redactSecrets', () => {
  it('masks a secret as typed and percent-encoded, and any URI credentials', () => {
    const text =
      `auth failed for mongodb://alice:${encodeURIComponent(PASSWORD)}@h:1 ` +
      `(password ${PASSWORD}); other mongodb+srv://bob:hunter2@c.net/x`;
    const redacted = redactSecrets(text, [PASSWORD]);
    expect(redacted).not.toContain(PASSWORD);
    expect(redacted).not.toContain(encodeURIComponent(PASSWORD));
    expect(redacted).not.toContain('hunter2');
    expect(redacted).toContain('mongodb://alice:****@h:1');
    expect(redacted).toContain('mongodb+srv://bob:****@c.net/x');
  });

  it('masks a short secret where it stands alone without garbling the words around it', () => {
    const redacted = redactSecrets('wrong password "pw" for user pwd (pw)', ['pw']);
    expect(redacted).toBe('wrong password "****" for user pwd (****)');
    expect(redactSecrets('Authentication failed, password: abc', ['abc'])).toBe(
      'Authentication failed, password: ****',
    );
    expect(redactSecrets('mongodb://u:pw@h:1 said pw', ['pw'])).toBe(
      'mongodb://u:****@h:1 said ****',
    );
  });

  it('ignores empty and missing secrets', () => {
    expect(redactSecrets('nothing to hide', ['', null, undefined])).toBe('nothing to hide');
  });
});
