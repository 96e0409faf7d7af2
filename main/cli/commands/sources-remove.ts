import type { ConnectionProfile, SourceInfo } from '../../../shared/contract';
import type { AltarCore } from '../../core/altar-core';
import type { Command } from '../command-context';
import { requireOperands } from '../command-line';

export const sourcesRemove: Command = async ({ line, io, core }) => {
  const [name] = requireOperands(line, ['NAME']);
  const altar = core();
  const source = (await altar.listSources({})).find((candidate) => candidate.name === name);
  const profile = source?.kind === 'mongo' ? await profileOf(altar, source) : null;
  await altar.removeSource({ name: name as string });
  if (source?.kind === 'mongo') {
    const forgotten = profile !== null && (await removeIfUnused(altar, profile));
    io.stdout.write(
      `Removed source "${name as string}" (the database was not touched` +
        `${forgotten ? `; its connection profile "${profile.name}" went with it` : ''}).\n`,
    );
  } else {
    io.stdout.write(`Removed source "${name as string}" (its folder was not touched).\n`);
  }
  return 0;
};

/**
 * The profile the source reads through. The CLI keeps no profile without a source (it makes
 * them in `sources add --mongo`), so the last source of a profile takes it along.
 */
async function profileOf(altar: AltarCore, source: SourceInfo): Promise<ConnectionProfile | null> {
  const profileId = source.mongo?.profileId;
  if (profileId === undefined) return null;
  const profile = (await altar.listProfiles({})).find((candidate) => candidate.id === profileId);
  return profile ?? null;
}

/**
 * The core refuses to remove a profile another source still uses: that refusal is the check.
 * The source is gone either way, so no failure here may turn the command into one.
 */
async function removeIfUnused(altar: AltarCore, profile: ConnectionProfile): Promise<boolean> {
  return altar.removeProfile({ id: profile.id }).then(
    () => true,
    () => false,
  );
}
