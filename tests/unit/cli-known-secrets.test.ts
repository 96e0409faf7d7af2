import { describe, expect, it } from 'vitest';
import { withoutSecrets } from '../../main/cli/known-secrets';

// What the CLI itself echoes (an unexpected argument, a message of its own) must not show a
// password it was handed: in the environment, or inside a URL argument.
describe('the secrets the CLI masks in what it prints', () => {
  it('masks the MongoDB password and the S3 secret given in the environment', () => {
    const env = { ALTAR_MONGO_PASSWORD: 'Hunter2-Secret', ALTAR_S3_SECRET: 'wJalr-XUtn-K7MD' };
    expect(withoutSecrets('bad password Hunter2-Secret for bob', [], env)).toBe(
      'bad password **** for bob',
    );
    expect(withoutSecrets('unexpected argument wJalr-XUtn-K7MD', [], env)).toBe(
      'unexpected argument ****',
    );
  });

  it('leaves the text alone when the variables are set but empty', () => {
    const env = { ALTAR_MONGO_PASSWORD: '', ALTAR_S3_SECRET: '' };
    expect(withoutSecrets('could not connect: timed out', [], env)).toBe(
      'could not connect: timed out',
    );
  });

  it('masks the password of a MongoDB URI argument wherever it shows again, decoded too', () => {
    const argv = ['sync', '--uri', 'mongodb://bob:Tr0ub4dor%26x@db.lab:27017/sacred'];
    expect(withoutSecrets('unexpected argument Tr0ub4dor&x', argv, {})).toBe(
      'unexpected argument ****',
    );
    const srv = ['add', 'mongodb+srv://bob:Corr3ct-Horse@cluster.lab/sacred'];
    expect(withoutSecrets('echo: Corr3ct-Horse', srv, {})).toBe('echo: ****');
  });

  it('masks the password of a replica-set URI, which is no WHATWG URL', () => {
    const hosts = 'h1.lab:27017,h2.lab:27017/sacred?replicaSet=rs0';
    const whole = ['sync', `mongodb://bob:R3pl1ca-Set@${hosts}`];
    expect(withoutSecrets('echo R3pl1ca-Set', whole, {})).toBe('echo ****');
    const inOption = ['sync', `--uri=mongodb://bob:R3pl1ca-Set@${hosts}`];
    expect(withoutSecrets('echo R3pl1ca-Set', inOption, {})).toBe('echo ****');
  });

  it('masks the password of any other URL argument, as typed and decoded', () => {
    const argv = ['storage', 'set', '--endpoint=http://AKIAKEY:wJalrXUtn%2FK7MDENG@minio.lab:9000'];
    expect(withoutSecrets('typed wJalrXUtn%2FK7MDENG', argv, {})).toBe('typed ****');
    expect(withoutSecrets('decoded wJalrXUtn/K7MDENG', argv, {})).toBe('decoded ****');
    const bare = ['http://AKIAKEY:Minio-S3cret@minio.lab:9000'];
    expect(withoutSecrets('echo Minio-S3cret', bare, {})).toBe('echo ****');
  });

  it('takes nothing from arguments without a URL or from a URL without a password', () => {
    const argv = ['runs', 'Hunter2-Secret', 'http://minio.lab:9000/bucket'];
    expect(withoutSecrets('run Hunter2-Secret not found', argv, {})).toBe(
      'run Hunter2-Secret not found',
    );
  });

  it('does not throw on URL arguments it cannot parse', () => {
    const argv = ['--uri', 'mongodb://bob:pw@[bad', 'http://[broken'];
    expect(withoutSecrets('ok', argv, {})).toBe('ok');
  });
});
