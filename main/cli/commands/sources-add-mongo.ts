import { SourceNameSchema } from '../../../shared/contract';
import type { ConnectionProfile, SourceInfo } from '../../../shared/contract';
import { AltarError, isAltarError } from '../../../shared/errors';
import type { AltarCore } from '../../core/altar-core';
import { defaultDatabaseOf, stripPassword } from '../../core/mongo/connection-uri';
import { CliFailure, UsageError } from '../cli-errors';
import type { CommandContext } from '../command-context';
import { integerOption, stringOption } from '../command-line';
import { showSyncProgress } from '../sync-progress-bar';

/** Sacred's MongoObserver writes to this database unless told otherwise. */
export const SACRED_DEFAULT_DATABASE = 'sacred';

/**
 * `sources add NAME --mongo URI`: connects, checks the runs collection and syncs, all inside
 * the core's addMongoSource. When that fails nothing stays behind: neither the source nor
 * the connection profile made for it.
 */
export async function addMongoSource(
  { line, io, core }: CommandContext,
  name: string,
  uri: string,
): Promise<number> {
  if (uri === '') throw new UsageError('--mongo needs a URI such as mongodb://host:27017/sacred');
  // Before anything connects: a name the core would refuse should not cost a connection.
  const valid = SourceNameSchema.safeParse(name);
  if (!valid.success) {
    throw new UsageError(`NAME ${valid.error.issues[0]?.message ?? 'is not a valid source name'}`);
  }
  // A malformed URI fails here as INVALID_ARGUMENT (exit 2), its password masked.
  const { uri: withoutPassword, password } = stripPassword(uri);
  const database = nonEmpty(line, 'db') ?? defaultDatabaseOf(uri) ?? SACRED_DEFAULT_DATABASE;
  const prefix = nonEmpty(line, 'prefix');
  const timeoutMs = integerOption(line, 'timeout-ms', 100, 120_000);

  const altar = core();
  // Checked before a profile is made, so a taken name costs nothing to undo.
  if ((await altar.listSources({})).some((source) => source.name === name)) {
    throw new AltarError('ALREADY_EXISTS', `A source named "${name}" already exists.`);
  }
  const { profile, created } = await profileFor(
    altar,
    name,
    uri,
    withoutPassword,
    password !== null,
  );
  const hideProgress = showSyncProgress(altar, io.stderr);
  try {
    if (timeoutMs !== undefined) {
      await altar.testConnection({ profileId: profile.id, timeoutMs });
    }
    const fresh = line.options.new === true;
    const added = await altar.addMongoSource({
      name,
      profileId: profile.id,
      database,
      ...(prefix !== undefined ? { prefix } : {}),
      ...(fresh ? { allowEmpty: true } : {}),
    });
    // --new: a database to restore or copy runs into, so its writes go on with it, or it is
    // not added (a user who may only read cannot fill it).
    const source = fresh ? await enableWrites(altar, added) : added;
    // The core keeps a source whose first sync failed; the CLI adds all or nothing.
    if (source.lastError !== null) {
      throw new CliFailure(`could not read the runs of ${source.location}: ${source.lastError}`, 1);
    }
    hideProgress();
    io.stdout.write(
      `Added source "${source.name}" (${source.location}): ${source.runCount} runs ` +
        `(${source.unreadableCount} unreadable)` +
        (fresh
          ? `; writes are on: restore into it with "import DIR --to ${source.name}".\n`
          : '.\n'),
    );
    return 0;
  } catch (error) {
    hideProgress();
    await undoAdd(altar, name, created ? profile.id : null);
    // A database without the runs collection is a failure to add (1), not a typo'd source name.
    if (isAltarError(error) && error.code === 'NOT_FOUND') throw new CliFailure(error.message, 1);
    throw error;
  }
}

async function enableWrites(altar: AltarCore, source: SourceInfo): Promise<SourceInfo> {
  const answer = await altar.setSourceWrites({ source: source.name, enabled: true });
  if (!answer.writable) {
    throw new CliFailure(
      `${source.location} cannot be written: ${answer.message ?? 'writes not allowed'}`,
      1,
    );
  }
  return { ...source, writable: true };
}

/**
 * Reuses the profile that already points at this server as this user (whatever its name);
 * otherwise makes one named after the source. The core moves a password in the URI into its
 * in-memory store, so a reused profile is saved again when the URI brings one.
 */
async function profileFor(
  altar: AltarCore,
  name: string,
  uri: string,
  withoutPassword: string,
  hasPassword: boolean,
): Promise<{ profile: ConnectionProfile; created: boolean }> {
  const profiles = await altar.listProfiles({});
  const existing = profiles.find((profile) => sameConnection(profile.uri, withoutPassword));
  if (existing !== undefined) {
    const profile = hasPassword
      ? await altar.saveProfile({ id: existing.id, name: existing.name, uri })
      : existing;
    return { profile, created: false };
  }
  const taken = new Set(profiles.map((profile) => profile.name));
  let profileName = name;
  for (let n = 2; taken.has(profileName); n++) profileName = `${name}-${n}`;
  return { profile: await altar.saveProfile({ name: profileName, uri }), created: true };
}

/** Best effort: the original failure is what the user needs to see, not a cleanup hiccup. */
async function undoAdd(altar: AltarCore, name: string, profileId: string | null): Promise<void> {
  const sources = await altar.listSources({}).catch(() => []);
  if (sources.some((source) => source.name === name)) {
    await altar.removeSource({ name }).catch(() => undefined);
  }
  if (profileId !== null) await altar.removeProfile({ id: profileId }).catch(() => undefined);
}

function nonEmpty(line: CommandContext['line'], option: string): string | undefined {
  const value = stringOption(line, option);
  if (value === '') throw new UsageError(`--${option} needs a value`);
  return value;
}

function sameConnection(profileUri: string, withoutPassword: string): boolean {
  try {
    return stripPassword(profileUri).uri === withoutPassword;
  } catch {
    return false;
  }
}
