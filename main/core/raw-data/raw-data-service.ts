import { isAbsolute } from 'node:path';
import type { RawDataRef } from '../../../shared/client-api';
import type {
  AltarApi,
  JsonObject,
  MethodArgs,
  RawDataRow,
  StorageProfile,
} from '../../../shared/contract';
import { AltarError } from '../../../shared/errors';
import type { DataFileEntry } from '../../../shared/raw-data-files';
import { rawDataOfInfo } from '../../../shared/raw-data-files';
import { guessContentType } from '../cache/content-type';
import { StorageProfileStore } from '../cache/storage-profile-store';
import type { StorageProfileRow } from '../cache/storage-profile-store';
import type { ArtifactStream } from '../core-service';
import { checkContained, outsideMessage, realFolders } from '../files/contained-path';
import { checkNamedFile } from '../files/named-file';
import { regularFileStream } from '../files/regular-file';
import { redactSecrets } from '../mongo/redact';
import type { SecretStore } from '../secrets/secret-store';
import { DEFAULT_LOCAL_SEARCH, findLocalFile } from './find-local-file';
import type { FolderListings, LocalSearchLimits } from './find-local-file';
import { openPresignedStream } from './presigned-stream';
import type { S3Target } from './s3-storage';
import {
  LINK_EXPIRY_SECONDS,
  checkStorage,
  headObject,
  normalizeEndpoint,
  presignGet,
} from './s3-storage';

export type RawDataMethods = Pick<
  AltarApi,
  | 'getStorageProfile'
  | 'saveStorageProfile'
  | 'removeStorageProfile'
  | 'testStorageProfile'
  | 'listRawData'
  | 'rawDataLink'
>;

export interface RawDataService extends RawDataMethods {
  /** The raw data file behind a ref, streamed from MinIO or disk; null for an unknown entry. */
  openRawData(ref: RawDataRef): Promise<ArtifactStream | null>;
  /** The saved profile's S3 target with its secret, for uploads (sending runs, issue 16). */
  storageTarget(source: string): Promise<S3Target>;
  /** The saved profile's local data folders ([] without a profile). */
  localRoots(source: string): string[];
}

export interface RawDataServiceDeps {
  store: {
    readonly database: ConstructorParameters<typeof StorageProfileStore>[0];
    getSource(name: string): object | null;
    getRun(source: string, runId: string): { info: string } | null;
  };
  secrets: SecretStore;
  /** Asked when no store holds a source's secret key (the CLI: ALTAR_S3_SECRET or a prompt). */
  secretFallback?: (source: string) => Promise<string | null>;
  now?: () => number;
  localSearch?: LocalSearchLimits;
  /**
   * The folders a source's runs may name files in (its folder, trusted folders, the local roots
   * of its profile): a local file found anywhere else is refused. Default: the local roots.
   */
  allowedFolders?: (source: string) => string[];
}

export const DEFAULT_REGION = 'us-east-1';

export function storageSecretKey(source: string): string {
  return `storage-secret:${source}`;
}

/**
 * Raw data of Altar runs (SACRED_FORMAT.md §7): per-source storage profiles (the secret key in
 * the secret store only), the rows of a run's raw data with where each file can be had, links,
 * and streams of the files for both doors.
 */
export function createRawDataService(deps: RawDataServiceDeps): RawDataService {
  const now = deps.now ?? Date.now;
  const profiles = new StorageProfileStore(deps.store.database);
  const secrets = deps.secrets;
  const localSearch = deps.localSearch ?? DEFAULT_LOCAL_SEARCH;
  const allowedFolders = (source: string): string[] =>
    deps.allowedFolders?.(source) ?? profiles.get(source)?.localRoots ?? [];

  const requireSource = (name: string): void => {
    if (deps.store.getSource(name) === null) {
      throw new AltarError('NOT_FOUND', `There is no source named "${name}".`);
    }
  };

  const entriesOf = (source: string, id: string): DataFileEntry[] | null => {
    requireSource(source);
    const run = deps.store.getRun(source, id);
    if (run === null) throw new AltarError('NOT_FOUND', `Source "${source}" has no run "${id}".`);
    return rawDataOfInfo(parseObject(run.info));
  };

  const requireEntry = (ref: RawDataRef): DataFileEntry => {
    const entry = (entriesOf(ref.source, ref.id) ?? []).find(
      (candidate) => candidate.kind === ref.kind && candidate.stem === ref.stem,
    );
    if (entry === undefined) {
      throw new AltarError(
        'NOT_FOUND',
        `Run "${ref.id}" of "${ref.source}" has no ${ref.kind === 'minio' ? 'MinIO' : 'local'} raw data "${ref.stem}".`,
      );
    }
    return entry;
  };

  const storedSecret = async (source: string): Promise<string | null> =>
    profiles.get(source) === null ? null : secrets.get(storageSecretKey(source));

  const toProfile = async (row: StorageProfileRow): Promise<StorageProfile> => {
    const hasSecret = (await secrets.get(storageSecretKey(row.source))) !== null;
    return {
      source: row.source,
      endpoint: row.endpoint,
      tls: row.endpoint?.startsWith('https:') ?? false,
      region: row.region,
      pathStyle: row.pathStyle,
      accessKeyId: row.accessKeyId,
      hasSecret,
      secretStorage: hasSecret ? secrets.kind : 'none',
      localRoots: row.localRoots,
      updatedAt: row.updatedAt,
    };
  };

  /** The profile's S3 settings with a secret, or the error telling the user what is missing. */
  const targetOf = async (
    source: string,
    over: {
      endpoint?: string | null;
      region?: string;
      pathStyle?: boolean;
      accessKeyId?: string | null;
      secretAccessKey?: string | null;
    } = {},
  ): Promise<S3Target> => {
    const row = profiles.get(source);
    const endpoint = over.endpoint !== undefined ? over.endpoint : (row?.endpoint ?? null);
    if (endpoint === null) {
      throw new AltarError(
        'INVALID_ARGUMENT',
        `Source "${source}" has no storage endpoint: set one in its storage settings ` +
          '(altar-viewer storage set).',
      );
    }
    const accessKeyId =
      over.accessKeyId !== undefined ? over.accessKeyId : (row?.accessKeyId ?? null);
    if (accessKeyId === null) {
      throw new AltarError(
        'INVALID_ARGUMENT',
        `The storage of "${source}" needs an access key id.`,
      );
    }
    let secret = over.secretAccessKey ?? null;
    if (over.secretAccessKey === undefined) {
      secret = (await storedSecret(source)) ?? (await deps.secretFallback?.(source)) ?? null;
    }
    if (secret === null || secret === '') {
      throw new AltarError(
        'PASSWORD_REQUIRED',
        `No secret access key is known for the storage of source "${source}". ` +
          "Enter it in the source's storage settings.",
      );
    }
    return {
      endpoint: normalizeEndpoint(endpoint),
      region: over.region ?? row?.region ?? DEFAULT_REGION,
      pathStyle: over.pathStyle ?? row?.pathStyle ?? true,
      accessKeyId,
      secretAccessKey: secret,
    };
  };

  const minioAvailability = async (source: string): Promise<RawDataRow['availability']> => {
    const row = profiles.get(source);
    if (row === null || row.endpoint === null || row.accessKeyId === null) return 'no-profile';
    if ((await storedSecret(source)) !== null || deps.secretFallback !== undefined) return 'ready';
    return 'no-secret';
  };

  const firstBucketOf = (source: string): string | null => {
    for (const info of profiles.rawDataInfos(source, 20)) {
      const bucket = rawDataOfInfo(parseObject(info))?.find((e) => e.bucket !== null)?.bucket;
      if (bucket !== undefined && bucket !== null) return bucket;
    }
    return null;
  };

  const service: RawDataService = {
    storageTarget: (source) => targetOf(source),
    localRoots: (source) => profiles.get(source)?.localRoots ?? [],

    async getStorageProfile({ source }) {
      requireSource(source);
      const row = profiles.get(source);
      return row === null ? null : toProfile(row);
    },

    async saveStorageProfile(args: MethodArgs<'saveStorageProfile'>) {
      requireSource(args.source);
      const existing = profiles.get(args.source);
      const endpointText =
        args.endpoint !== undefined ? args.endpoint : (existing?.endpoint ?? null);
      const endpoint = endpointText === null ? null : normalizeEndpoint(endpointText);
      const accessKeyId =
        args.accessKeyId !== undefined ? args.accessKeyId : (existing?.accessKeyId ?? null);
      if (endpoint !== null && accessKeyId === null) {
        throw new AltarError('INVALID_ARGUMENT', 'A storage endpoint needs an access key id.');
      }
      const localRoots = args.localRoots ?? existing?.localRoots ?? [];
      const relative = localRoots.find((root) => !isAbsolute(root));
      if (relative !== undefined) {
        throw new AltarError(
          'INVALID_ARGUMENT',
          `Local data folders must be absolute paths (got "${relative}").`,
        );
      }
      const key = storageSecretKey(args.source);
      try {
        if (args.secretAccessKey === null) await secrets.delete(key);
        else if (args.secretAccessKey !== undefined) await secrets.set(key, args.secretAccessKey);
        // A secret left by a removed source of the same name must not carry over.
        else if (existing === null) await secrets.delete(key);
      } catch (error) {
        throw new AltarError(
          'INTERNAL',
          redactSecrets(
            `Could not store the secret access key of "${args.source}": ` +
              (error instanceof Error ? error.message : String(error)),
            [args.secretAccessKey],
          ),
        );
      }
      profiles.put({
        source: args.source,
        endpoint,
        region: args.region ?? existing?.region ?? DEFAULT_REGION,
        pathStyle: args.pathStyle ?? existing?.pathStyle ?? true,
        accessKeyId,
        localRoots: [...new Set(localRoots)],
        updatedAt: new Date(now()).toISOString(),
      });
      const saved = profiles.get(args.source);
      if (saved === null) throw new AltarError('INTERNAL', 'The storage profile was not saved.');
      return toProfile(saved);
    },

    async removeStorageProfile({ source }) {
      const removed = profiles.delete(source);
      await secrets.delete(storageSecretKey(source));
      return { removed };
    },

    async testStorageProfile(args: MethodArgs<'testStorageProfile'>) {
      requireSource(args.source);
      const target = await targetOf(args.source, {
        endpoint: args.endpoint,
        region: args.region,
        pathStyle: args.pathStyle,
        accessKeyId: args.accessKeyId,
        secretAccessKey: args.secretAccessKey,
      });
      const bucket = args.bucket ?? firstBucketOf(args.source);
      const checked = await checkStorage(target, bucket, args.timeoutMs);
      return { endpoint: target.endpoint, bucket, ...checked };
    },

    async listRawData({ source, id }) {
      const entries = entriesOf(source, id);
      const profileRow = profiles.get(source);
      const storage = profileRow === null ? null : await toProfile(profileRow);
      const roots = profileRow?.localRoots ?? [];
      const realAllowed = await realFolders(allowedFolders(source));
      const rows: RawDataRow[] = [];
      const listings: FolderListings = new Map();
      for (const entry of entries ?? []) {
        if (entry.kind === 'artifact') continue;
        const common = {
          kind: entry.kind,
          stem: entry.stem,
          fileName: entry.fileName,
          type: entry.type,
          size: entry.size,
          sizeBytes: entry.sizeBytes,
          acquired: entry.acquired,
          location: entry.location,
          contentType: guessContentType(entry.fileName),
          bucket: entry.bucket,
          key: entry.key,
        };
        if (entry.kind === 'minio') {
          rows.push({
            ...common,
            availability: await minioAvailability(source),
            path: null,
            searched: [],
          });
          continue;
        }
        const found = await findLocalFile(
          entry.localPath,
          entry.fileName,
          roots,
          localSearch,
          listings,
        );
        // A local_path or fileName may lead anywhere (an absolute path, `../`): a file outside
        // the allowed folders is listed as not available, saying where it is and how to trust.
        const contained = found.found ? await checkContained(found.path, realAllowed) : null;
        if (found.found && contained?.kind !== 'inside') {
          const real = contained?.kind === 'outside' ? contained.realPath : found.path;
          rows.push({
            ...common,
            availability: 'missing',
            path: real,
            searched: [outsideMessage(`raw data file "${entry.fileName}"`, real, source)],
          });
          continue;
        }
        rows.push(
          found.found
            ? { ...common, availability: 'found', path: found.path, searched: [] }
            : {
                ...common,
                availability: 'missing',
                path: found.expected,
                searched: found.searched,
              },
        );
      }
      return { rows, hasDataFiles: entries !== null, storage };
    },

    async rawDataLink({ source, id, stem, download }) {
      const entry = requireEntry({ kind: 'minio', source, id, stem });
      if (entry.bucket === null || entry.key === null) {
        throw new AltarError('NOT_FOUND', `The raw data "${stem}" names no bucket.`);
      }
      const target = await targetOf(source);
      const issued = now();
      const url = await presignGet(target, entry.bucket, entry.key, {
        download: download === true,
        fileName: entry.fileName,
      });
      return { url, expiresAt: new Date(issued + LINK_EXPIRY_SECONDS * 1000).toISOString() };
    },

    async openRawData(ref) {
      let entry: DataFileEntry;
      try {
        entry = requireEntry(ref);
      } catch (error) {
        if (error instanceof AltarError && error.code === 'NOT_FOUND') return null;
        throw error;
      }
      const contentType = guessContentType(entry.fileName) ?? 'application/octet-stream';
      if (entry.kind === 'local') {
        const roots = profiles.get(ref.source)?.localRoots ?? [];
        const found = await findLocalFile(entry.localPath, entry.fileName, roots, localSearch);
        if (!found.found) {
          throw new AltarError(
            'NOT_FOUND',
            `The raw data file was not found on this computer; it was expected at ${found.expected}.`,
          );
        }
        const checked = await checkNamedFile(
          found.path,
          `raw data file "${entry.fileName}"`,
          allowedFolders(ref.source),
          ref.source,
        );
        const { realPath, within } = checked;
        return {
          name: entry.fileName,
          size: checked.size,
          contentType,
          open: (range) => regularFileStream(realPath, range, within),
        };
      }
      if (entry.bucket === null || entry.key === null) return null;
      const target = await targetOf(ref.source);
      const { bucket, key } = entry;
      const head = await headObject(target, bucket, key);
      return {
        name: entry.fileName,
        size: head.size,
        contentType:
          guessContentType(entry.fileName) ?? head.contentType ?? 'application/octet-stream',
        open: (range) =>
          openPresignedStream(() => presignGet(target, bucket, key), range ?? null, {
            endpoint: target.endpoint,
            bucket,
            key,
          }),
      };
    },
  };
  return service;
}

function parseObject(text: string): JsonObject {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as JsonObject)
      : {};
  } catch {
    return {};
  }
}

/** The contract methods this service implements (composed by the core with parsedMethods). */
export const RAW_DATA_METHODS = [
  'getStorageProfile',
  'saveStorageProfile',
  'removeStorageProfile',
  'testStorageProfile',
  'listRawData',
  'rawDataLink',
] as const;
