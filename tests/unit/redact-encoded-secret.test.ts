// The percent-encoded forms of a secret are masked as well as the typed one. The password here
// is one that encodeURIComponent and encodeURI both change (and differently), so that every
// check below is about an encoded form and not the plain one again.
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../main/core/mongo/redact';

const PASSWORD = 'p@ss w/rd#1%';
// Written out by hand, not computed with the functions the code under test calls.
const COMPONENT_ENCODED = 'p%40ss%20w%2Frd%231%25';
const URI_ENCODED = 'p@ss%20w/rd#1%25';

describe('redactSecrets with a password that percent-encoding changes', () => {
  it('is a password whose encoded forms differ from it and from each other', () => {
    expect(encodeURIComponent(PASSWORD)).toBe(COMPONENT_ENCODED);
    expect(encodeURI(PASSWORD)).toBe(URI_ENCODED);
  });

  it('masks the encodeURIComponent form where no URI pattern would catch it', () => {
    const text = `server said: bad option password=${COMPONENT_ENCODED} (retry later)`;
    expect(redactSecrets(text, [PASSWORD])).toBe(
      'server said: bad option password=**** (retry later)',
    );
  });

  it('masks the encodeURI form too', () => {
    const text = `GET /login?pw=${URI_ENCODED} failed`;
    expect(redactSecrets(text, [PASSWORD])).toBe('GET /login?pw=**** failed');
  });

  it('masks all three forms in one message', () => {
    const text = `typed ${PASSWORD}; component ${COMPONENT_ENCODED}; uri ${URI_ENCODED}.`;
    const redacted = redactSecrets(text, [PASSWORD]);
    expect(redacted).toBe('typed ****; component ****; uri ****.');
  });

  it('masks the encoded form of a short secret where it stands alone, not inside words', () => {
    // "a b" is 3 characters, "a%20b" 5: both below the length where every occurrence is masked.
    expect(redactSecrets('login a%20b refused; data%20a%20bx kept', ['a b'])).toBe(
      'login **** refused; data%20a%20bx kept',
    );
  });
});
