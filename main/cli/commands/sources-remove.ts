import type { ConnectionProfile, SourceInfo } from '../../../shared/contract';
import type { AltarCore } from '../../core/altar-core';
import { describeMongoLocation } from '../../core/mongo/mongo-sources-service';
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
 * The profile a mongo source reads through. The contract's SourceInfo does not name it, so it
 * is found from the location (scheme, user and hosts of the profile's URI); when several
 * profiles share those, only the one named after the source (as `sources add` names it) counts.
 */
async function profileOf(altar: AltarCore, source: SourceInfo): Promise<ConnectionProfile | null> {
  const matching = (await altar.listProfiles({})).filter((profile) =>
    source.location.startsWith(describeMongoLocation(profile.uri, '', null)),
  );
  if (matching.length === 1) return matching[0] as ConnectionProfile;
  return matching.find((profile) => profile.name === source.name) ?? null;
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
