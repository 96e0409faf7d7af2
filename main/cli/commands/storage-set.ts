import { resolve } from 'node:path';
import { UsageError } from '../cli-errors';
import type { Command } from '../command-context';
import { requireOperands, stringOption } from '../command-line';
import { cliStorageSecretFallback } from '../storage-secret-fallback';
import { withStorageAdvice } from './storage-errors';
import { describeStorageProfile } from './storage-show';

/**
 * `storage set SOURCE --endpoint URL --access-key KEY [--region R] [--local-root DIR ...]`:
 * saves the source's storage profile. The secret key (ALTAR_S3_SECRET or a prompt) is kept in
 * memory for this run only and, when there is one, used to check the server at once.
 */
export const storageSet: Command = async ({ line, io, core }) => {
  const [source = ''] = requireOperands(line, ['SOURCE']);
  const endpoint = nonEmpty(stringOption(line, 'endpoint'), 'endpoint');
  const accessKeyId = nonEmpty(stringOption(line, 'access-key'), 'access-key');
  const region = nonEmpty(stringOption(line, 'region'), 'region');
  const roots = listOption(line.options['local-root']).map((root) => resolve(root));
  const virtualHost = line.options['virtual-host'] === true;
  if (
    endpoint === undefined &&
    accessKeyId === undefined &&
    region === undefined &&
    roots.length === 0 &&
    !virtualHost
  ) {
    throw new UsageError("'storage set' needs --endpoint and --access-key, or --local-root");
  }
  const altar = core();
  const existing = await altar.getStorageProfile({ source });
  const willHaveEndpoint = endpoint !== undefined || (existing?.endpoint ?? null) !== null;
  const secret = willHaveEndpoint ? await cliStorageSecretFallback(io)(source) : null;
  const profile = await altar.saveStorageProfile({
    source,
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(accessKeyId !== undefined ? { accessKeyId } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(virtualHost ? { pathStyle: false } : {}),
    ...(roots.length > 0 ? { localRoots: roots } : {}),
    ...(secret !== null ? { secretAccessKey: secret } : {}),
  });
  io.stdout.write(`Saved the storage profile of "${source}".\n`);
  io.stdout.write(describeStorageProfile(profile));
  if (profile.endpoint === null || secret === null) return 0;
  const checked = await withStorageAdvice(altar.testStorageProfile({ source }));
  const what =
    checked.bucket !== null
      ? `bucket "${checked.bucket}" is readable`
      : `${checked.buckets?.length ?? 0} buckets listed`;
  io.stdout.write(`Checked ${checked.endpoint}: ${what} (${checked.roundTripMs} ms).\n`);
  return 0;
};

function nonEmpty(value: string | undefined, option: string): string | undefined {
  if (value === '') throw new UsageError(`--${option} needs a value`);
  return value;
}

function listOption(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}
