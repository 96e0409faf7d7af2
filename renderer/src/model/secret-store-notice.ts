import type { AppInfo, SecretStoreStatus } from '../../../shared/contract';

/**
 * The sentence the app shows about where passwords are kept, or null when there is nothing to
 * tell: a real OS keystore, or a door where keeping them in memory is the documented rule (the
 * browser door and the CLI never write passwords, and their notes say so).
 */
export function secretStoreNotice(info: AppInfo): string | null {
  if (info.door !== 'electron') return null;
  return info.secretStoreStatus?.warning ?? null;
}

/** The Settings choice applies only where the keystore is weak (Linux without a keyring). */
export function offersWeakKeystoreChoice(status: SecretStoreStatus | undefined): boolean {
  return status?.backend === 'weak-keystore';
}

/** The desktop "remember" checkbox's label: what remembering means on this computer. */
export function rememberPasswordLabel(status: SecretStoreStatus | undefined): string {
  if (status === undefined || status.backend === 'keystore') return 'Remember in the OS keystore';
  if (status.remembersPasswords) return 'Remember (no keyring: stored with a weak key)';
  return 'Remember until Altar Viewer closes (no keyring found)';
}

/** Where a desktop secret is kept, in one sentence. */
export function desktopSecretPlace(status: SecretStoreStatus | undefined): string {
  if (status === undefined || status.backend === 'keystore') return 'Kept in the OS keystore.';
  if (status.remembersPasswords) return 'Stored with a weak key: no keyring was found.';
  return 'Kept in memory until Altar Viewer closes: no keyring was found.';
}
