import type { StorageProfile } from '../../../shared/contract';
import type { Command } from '../command-context';
import { choiceOption, requireOperands } from '../command-line';

/** `storage show SOURCE`: the profile without its secret (only whether one is known). */
export const storageShow: Command = async ({ line, io, core }) => {
  const [source = ''] = requireOperands(line, ['SOURCE']);
  const format = choiceOption(line, 'format', ['table', 'json'] as const, 'table');
  const profile = await core().getStorageProfile({ source });
  if (format === 'json') io.stdout.write(`${JSON.stringify(profile, null, 2)}\n`);
  else if (profile === null) {
    io.stdout.write(
      `Source "${source}" has no storage profile. ` +
        `"altar-viewer storage set ${source} --endpoint URL --access-key KEY" makes one.\n`,
    );
  } else io.stdout.write(describeStorageProfile(profile));
  return 0;
};

export function describeStorageProfile(profile: StorageProfile): string {
  const secret = profile.hasSecret
    ? `known (${profile.secretStorage})`
    : 'not stored (ALTAR_S3_SECRET or a prompt gives it)';
  const lines = [
    ['Endpoint', profile.endpoint ?? '(none)'],
    ['TLS', profile.endpoint === null ? '-' : profile.tls ? 'yes' : 'no'],
    ['Region', profile.region],
    ['Addressing', profile.pathStyle ? 'path-style' : 'virtual-hosted'],
    ['Access key', profile.accessKeyId ?? '(none)'],
    ['Secret key', secret],
    ['Local roots', profile.localRoots.length === 0 ? '(none)' : profile.localRoots.join(', ')],
  ];
  return lines.map(([label, value]) => `  ${`${label}:`.padEnd(13)}${value}\n`).join('');
}
