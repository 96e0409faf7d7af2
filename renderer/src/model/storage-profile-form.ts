import type { StorageProfile } from '../../../shared/contract';

/** What the storage dialog's fields hold, as typed. */
export interface StorageFormValues {
  endpoint: string;
  region: string;
  pathStyle: boolean;
  accessKeyId: string;
  /** Typed secret; '' keeps the saved one (it is never sent back to the page). */
  secret: string;
  forgetSecret: boolean;
  /** One row per folder; blank rows are dropped on save. */
  localRoots: string[];
}

export type StorageFormField = 'endpoint' | 'region' | 'accessKeyId' | 'secret' | 'localRoots';
export type StorageFormErrors = Partial<Record<StorageFormField, string>>;

/** The connection part of a save or a test: exactly what the core's methods accept. */
export interface StorageConnectionArgs {
  endpoint: string | null;
  region: string;
  pathStyle: boolean;
  accessKeyId: string | null;
  /** Omitted: keep (or test with) the saved secret; null: forget it. */
  secretAccessKey?: string | null;
}

export interface StorageSaveArgs extends StorageConnectionArgs {
  localRoots: string[];
}

export const DEFAULT_REGION = 'us-east-1';
export const MAX_LOCAL_ROOTS = 20;

export function toStorageFormValues(profile: StorageProfile | null): StorageFormValues {
  return {
    endpoint: profile?.endpoint ?? '',
    region: profile?.region ?? DEFAULT_REGION,
    pathStyle: profile?.pathStyle ?? true,
    accessKeyId: profile?.accessKeyId ?? '',
    secret: '',
    forgetSecret: false,
    // One empty row invites typing the first folder.
    localRoots: profile !== null && profile.localRoots.length > 0 ? [...profile.localRoots] : [''],
  };
}

/** An absolute folder on this computer: POSIX, a Windows drive, or a UNC share. */
export function isAbsoluteFolder(text: string): boolean {
  return /^(\/|[A-Za-z]:[\\/]|\\\\[^\\]+\\[^\\]+)/u.test(text);
}

function readEndpoint(
  text: string,
): { ok: true; value: string | null } | { ok: false; error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: null };
  if (!/^[a-z][a-z0-9+.-]*:\/\//iu.test(trimmed)) {
    return {
      ok: false,
      error: `Start the endpoint with http:// or https://, like https://${trimmed}.`,
    };
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, error: 'This is not a URL; use the form https://minio.lab:9000.' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, error: 'The endpoint must use http:// or https://.' };
  }
  return { ok: true, value: trimmed };
}

/** The folders to save: trimmed, blank rows dropped, duplicates once, in typed order. */
export function cleanLocalRoots(rows: readonly string[]): string[] {
  const seen = new Set<string>();
  const roots: string[] = [];
  for (const row of rows) {
    const root = row.trim();
    if (root === '' || seen.has(root)) continue;
    seen.add(root);
    roots.push(root);
  }
  return roots;
}

function readConnection(
  values: StorageFormValues,
  errors: StorageFormErrors,
): StorageConnectionArgs | null {
  const endpoint = readEndpoint(values.endpoint);
  if (!endpoint.ok) errors.endpoint = endpoint.error;
  const accessKeyId = values.accessKeyId.trim();
  if (endpoint.ok && endpoint.value !== null && accessKeyId === '') {
    errors.accessKeyId = 'Enter the access key id that goes with this endpoint.';
  }
  const region = values.region.trim() === '' ? DEFAULT_REGION : values.region.trim();
  if (/\s/u.test(region)) errors.region = 'A region has no spaces, like us-east-1.';
  if (!endpoint.ok || errors.accessKeyId !== undefined || errors.region !== undefined) return null;
  const args: StorageConnectionArgs = {
    endpoint: endpoint.value,
    region,
    pathStyle: values.pathStyle,
    accessKeyId: accessKeyId === '' ? null : accessKeyId,
  };
  // Secrets are taken as typed: a trailing space may be part of one.
  if (values.forgetSecret) args.secretAccessKey = null;
  else if (values.secret !== '') args.secretAccessKey = values.secret;
  return args;
}

export type ReadResult<T> = { ok: true; args: T } | { ok: false; errors: StorageFormErrors };

/** Checks the form for a save; the core checks again and its message is shown as well. */
export function readStorageSave(values: StorageFormValues): ReadResult<StorageSaveArgs> {
  const errors: StorageFormErrors = {};
  const connection = readConnection(values, errors);
  const localRoots = cleanLocalRoots(values.localRoots);
  const relative = localRoots.find((root) => !isAbsoluteFolder(root));
  if (relative !== undefined) {
    errors.localRoots = `“${relative}” is not a full path; use one like /mnt/lab-data or D:\\lab-data.`;
  } else if (localRoots.length > MAX_LOCAL_ROOTS) {
    errors.localRoots = `At most ${MAX_LOCAL_ROOTS} folders; remove ${localRoots.length - MAX_LOCAL_ROOTS}.`;
  }
  if (connection === null || errors.localRoots !== undefined) return { ok: false, errors };
  return { ok: true, args: { ...connection, localRoots } };
}

/** Checks the form for a connection test: an endpoint is needed, local folders are not. */
export function readStorageTest(values: StorageFormValues): ReadResult<StorageConnectionArgs> {
  const errors: StorageFormErrors = {};
  const connection = readConnection(values, errors);
  if (connection !== null && connection.endpoint === null) {
    return {
      ok: false,
      errors: { endpoint: 'Enter the endpoint to test, like https://minio.lab:9000.' },
    };
  }
  if (connection === null) return { ok: false, errors };
  if (connection.secretAccessKey === null) {
    return { ok: false, errors: { secret: 'Enter a secret to test with, or keep the saved one.' } };
  }
  return { ok: true, args: connection };
}

/** What the secret field says while it is empty. */
export function secretPlaceholder(profile: StorageProfile | null, forget: boolean): string {
  if (forget) return 'The saved secret will be forgotten';
  if (profile === null || !profile.hasSecret) return 'No secret saved';
  const where = profile.secretStorage === 'keystore' ? 'in the OS keystore' : 'in memory';
  return `saved (${where}): leave empty to keep it`;
}

export interface StorageTestResult {
  endpoint: string;
  bucket: string | null;
  buckets: string[] | null;
  roundTripMs: number;
}

/** "Connected to http://… in 12 ms; bucket “raw” is there." */
export function formatStorageTest(result: StorageTestResult): string {
  const base = `Connected to ${result.endpoint} in ${Math.round(result.roundTripMs)} ms`;
  if (result.bucket !== null) return `${base}; bucket “${result.bucket}” is there.`;
  if (result.buckets === null) return `${base}.`;
  if (result.buckets.length === 0) return `${base}; the server lists no buckets for this key.`;
  const shown = result.buckets.slice(0, 5).join(', ');
  const more = result.buckets.length > 5 ? ` and ${result.buckets.length - 5} more` : '';
  return `${base}; buckets: ${shown}${more}.`;
}
