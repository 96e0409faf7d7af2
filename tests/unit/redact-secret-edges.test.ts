import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../main/core/mongo/redact';

// Edges of the masking a user would see in an error message: what a leak or a garbled
// message looks like is written out by hand.
describe('masking secrets in messages, at the edges', () => {
  it('masks a secret of six characters or more even inside a longer word', () => {
    expect(redactSecrets('token=xS3cretPa55y', ['S3cretPa55'])).toBe('token=x****y');
    expect(redactSecrets('idabc123z', ['abc123'])).toBe('id****z');
  });

  it('masks a short secret made of regular-expression characters where it stands alone', () => {
    expect(redactSecrets('login p.w+1 refused', ['p.w+1'])).toBe('login **** refused');
    // Another text that the characters would match as a pattern stays as it is.
    expect(redactSecrets('login pxww1 refused', ['p.w+1'])).toBe('login pxww1 refused');
  });

  it('masks the longer of two secrets whole when one contains the other', () => {
    const text = 'denied for secret1-extended';
    expect(redactSecrets(text, ['secret1', 'secret1-extended'])).toBe('denied for ****');
    expect(redactSecrets(text, ['secret1-extended', 'secret1'])).toBe('denied for ****');
  });

  it('leaves a message alone when a secret is empty or missing', () => {
    const text = 'could not connect: timed out (after 30 s)';
    expect(redactSecrets(text, ['', null, undefined])).toBe(text);
  });
});
