import { describe, expect, it } from 'vitest';
import type { AppInfo } from '../../shared/contract';
import {
  desktopSecretPlace,
  offersWeakKeystoreChoice,
  rememberPasswordLabel,
  secretStoreNotice,
} from '../../renderer/src/model/secret-store-notice';

const base: AppInfo = { version: '1.0.0', dataDir: '/d', door: 'electron' };

describe('the desktop notice about where passwords are kept', () => {
  it('shows the store warning in the desktop app (Linux without a keyring)', () => {
    const info: AppInfo = {
      ...base,
      secretStoreStatus: {
        backend: 'weak-keystore',
        remembersPasswords: false,
        warning: 'No keyring was found on this desktop: passwords are kept in memory only.',
      },
    };
    expect(secretStoreNotice(info)).toMatch(/No keyring/u);
    expect(offersWeakKeystoreChoice(info.secretStoreStatus)).toBe(true);
  });

  it('stays quiet with a real keystore, in the browser door, and with an older core', () => {
    expect(
      secretStoreNotice({
        ...base,
        secretStoreStatus: { backend: 'keystore', remembersPasswords: true, warning: null },
      }),
    ).toBeNull();
    expect(
      secretStoreNotice({
        ...base,
        door: 'http',
        secretStoreStatus: { backend: 'none', remembersPasswords: false, warning: 'x' },
      }),
    ).toBeNull();
    expect(secretStoreNotice(base)).toBeNull();
    expect(
      offersWeakKeystoreChoice({ backend: 'keystore', remembersPasswords: true, warning: null }),
    ).toBe(false);
    expect(offersWeakKeystoreChoice(undefined)).toBe(false);
  });
});

describe('what "remember" promises on this desktop', () => {
  it('promises the OS keystore only where there is one', () => {
    const keystore = { backend: 'keystore', remembersPasswords: true, warning: null } as const;
    const weakMemory = {
      backend: 'weak-keystore',
      remembersPasswords: false,
      warning: 'w',
    } as const;
    const weakWritten = {
      backend: 'weak-keystore',
      remembersPasswords: true,
      warning: 'w',
    } as const;
    expect(rememberPasswordLabel(keystore)).toBe('Remember in the OS keystore');
    expect(desktopSecretPlace(keystore)).toBe('Kept in the OS keystore.');
    for (const status of [weakMemory, weakWritten]) {
      expect(rememberPasswordLabel(status)).not.toMatch(/OS keystore/u);
      expect(desktopSecretPlace(status)).toMatch(/no keyring/u);
    }
    expect(rememberPasswordLabel(weakMemory)).toMatch(/until Altar Viewer closes/u);
    expect(desktopSecretPlace(weakWritten)).toMatch(/weak key/u);
  });
});
