/**
 * The API contract: every method the UI, the CLI and tests may call, with a zod schema for
 * its arguments and its result. Hosts (IPC, HTTP) validate arguments against these schemas;
 * the renderer and the CLI only ever see these types.
 */
import { z } from 'zod';
import { FilterNodeSchema } from './filter/filter-schema';
import { sendMethods } from './contract/send-methods';
import { sendFilesMethods } from './contract/send-files-methods';
import { usersMethods } from './contract/users-methods';
import { deleteMethods } from './contract/delete-methods';
import { writesMethods } from './contract/writes-methods';
import { metricsMethods } from './contract/metrics-methods';
import { runsMethods } from './contract/runs-methods';
import { backupMethods } from './contract/backup-methods';
import { SourceNameSchema } from './contract/source-name';
import {
  IsoTimeSchema,
  JsonObjectSchema,
  JsonValueSchema,
  RunDetailSchema,
  RunKeySchema,
  RunSummarySchema,
} from './contract/run-schemas';
import { GIB, MIB } from './byte-units';
import { DEFAULT_SETTINGS } from './settings-defaults';

export { SourceNameSchema };
// The run shapes live in their own slice so that other slices import them without a cycle.
export * from './contract/run-schemas';

/** ISO 8601 UTC with a trailing Z, or null. */
const isoTime = IsoTimeSchema;

export const SyncStateSchema = z.enum(['idle', 'syncing', 'error']);

export const SourceInfoSchema = z.object({
  name: z.string(),
  kind: z.enum(['folder', 'mongo']),
  /** Where the runs come from, for display (a folder path, a redacted URI + db). Never holds secrets. */
  location: z.string(),
  runCount: z.number().int(),
  unreadableCount: z.number().int(),
  lastSyncAt: isoTime,
  lastError: z.string().nullable(),
  state: SyncStateSchema,
  /** Whether the source can be reached right now (a folder that exists). */
  online: z.boolean(),
  /** For MongoDB sources: the connection profile, database and collection prefix; else null. */
  mongo: z
    .object({ profileId: z.string(), database: z.string(), prefix: z.string().nullable() })
    .nullable(),
  /**
   * Folders besides the source's own whose files its runs may name (sources stored next to
   * the observer folder, artifacts on another disk). Nothing outside them is ever read.
   */
  trustedFolders: z.array(z.string()),
  /** The desktop app announces runs of this source that finish (opt-in; off by default). */
  notifyFinishedRuns: z.boolean(),
  /** Writes (tags, notes, delete) are on for this source (setSourceWrites); off by default. */
  writable: z.boolean(),
});
export type SourceInfo = z.infer<typeof SourceInfoSchema>;

export type RunKey = z.infer<typeof RunKeySchema>;

export const CapturedOutputSchema = z.object({
  text: z.string(),
  /** The text is the tail of a longer output: totalBytes tells how long. */
  truncated: z.boolean(),
  totalBytes: z.number().int(),
});
export type CapturedOutput = z.infer<typeof CapturedOutputSchema>;

/** Metric points as typed arrays: cheap over IPC, base64 over HTTP (see shared/wire-codec.ts). */
export const MetricSeriesSchema = z.object({
  name: z.string(),
  steps: z.instanceof(Float64Array),
  values: z.instanceof(Float64Array),
  /** Milliseconds since the epoch (UTC); NaN where unknown. */
  timestamps: z.instanceof(Float64Array),
  totalPoints: z.number().int(),
  /** Points of the whole metric that are NaN or ±Infinity (a plot cannot draw them). */
  nonFinitePoints: z.number().int().optional(),
  downsampled: z.boolean(),
  /** Points whose step lies in the asked range (xMin/xMax); absent when no range was asked. */
  pointsInRange: z.number().int().optional(),
});
export type MetricSeries = z.infer<typeof MetricSeriesSchema>;

export const SourceFileContentSchema = z.object({
  name: z.string(),
  text: z.string(),
  truncated: z.boolean(),
});
export type SourceFileContent = z.infer<typeof SourceFileContentSchema>;

export const SyncSummarySchema = z.object({
  source: z.string(),
  added: z.number().int(),
  updated: z.number().int(),
  removed: z.number().int(),
  unchanged: z.number().int(),
  unreadable: z.number().int(),
  points: z.number().int(),
  /** Bytes read from the source (approximately: documents as stored); absent for old callers. */
  bytes: z.number().int().optional(),
  /**
   * Runs whose read found a half-written file (Sacred rewriting it): their good cached copy was
   * kept, saying so, and they are read again at the next sync. Absent when there were none.
   */
  keptHalfWritten: z.number().int().optional(),
  seconds: z.number(),
});
export type SyncSummary = z.infer<typeof SyncSummarySchema>;

/**
 * Where passwords the user asked to remember are kept. `keystore`: encrypted by the OS
 * keystore. `weak-keystore`: Linux without a keyring, where Chromium's "basic_text" backend
 * encrypts with a fixed, public key; passwords are written only if the user opted in
 * (Settings: rememberPasswordsOnWeakKeystore). `none`: nothing is written (CLI, browser mode,
 * or no keystore at all).
 */
export const SecretStoreStatusSchema = z.object({
  backend: z.enum(['keystore', 'weak-keystore', 'none']),
  /** Passwords marked "remember" survive a restart. */
  remembersPasswords: z.boolean(),
  /** What the user should be told (a weak or missing keystore), or null when nothing. */
  warning: z.string().nullable(),
});
export type SecretStoreStatus = z.infer<typeof SecretStoreStatusSchema>;

export const AppInfoSchema = z.object({
  version: z.string(),
  dataDir: z.string(),
  /** Which door the renderer is talking through. */
  door: z.enum(['electron', 'http', 'direct']),
  /** Where a corrupt or incompatible cache file was moved at start (it was rebuilt), if so. */
  cacheRecoveredFrom: z.string().nullable().optional(),
  /** Where saved passwords live, so the UI can say so (absent from older cores). */
  secretStoreStatus: SecretStoreStatusSchema.optional(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

/** The parts of a MongoDB URI a form can edit; the URI itself stays the source of truth. */
export const ConnectionFieldsSchema = z
  .object({
    /** "host:port" entries; one for a standalone server, several for a replica set. */
    hosts: z.array(z.string().min(1).max(512)).min(1).max(50),
    srv: z.boolean().optional(),
    user: z.string().max(512).optional(),
    authSource: z.string().max(256).optional(),
    tls: z.boolean().optional(),
    tlsCAFile: z.string().max(4096).optional(),
    /** Accept a certificate issued for another host name (the CA check still applies). */
    tlsAllowInvalidHostnames: z.boolean().optional(),
    replicaSet: z.string().max(256).optional(),
    directConnection: z.boolean().optional(),
    /** The URI's default database (used when listDatabases is not authorized). */
    database: z.string().max(256).optional(),
  })
  .strict();
export type ConnectionFields = z.infer<typeof ConnectionFieldsSchema>;

export const ConnectionProfileSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Without the password, always. */
  uri: z.string(),
  fields: ConnectionFieldsSchema,
  /** A password is known for this profile (in the OS keystore or, in CLI/browser mode, in memory). */
  hasPassword: z.boolean(),
  /** Where the password lives: OS keystore across restarts, or this process's memory only. */
  passwordStorage: z.enum(['keystore', 'memory', 'none']),
});
export type ConnectionProfile = z.infer<typeof ConnectionProfileSchema>;

/** A connection to check or save: a full URI, or form fields the core turns into one. */
const connectionTarget = {
  uri: z.string().min(1).max(8192).optional(),
  fields: ConnectionFieldsSchema.optional(),
  /** Omit to keep the stored password; null forgets it. */
  password: z.string().max(1024).nullable().optional(),
};

export const SacredCollectionSchema = z.object({
  /** null for the plain `runs` collection, else the prefix of `<prefix>_runs`. */
  prefix: z.string().nullable(),
  runsCollection: z.string(),
  runCount: z.number().int(),
});

export const DatabaseInfoSchema = z.object({
  name: z.string(),
  sizeOnDisk: z.number().nullable(),
  /** The Sacred runs collections found in this database (empty: no Sacred runs seen). */
  sacred: z.array(SacredCollectionSchema),
});
export type DatabaseInfo = z.infer<typeof DatabaseInfoSchema>;

export const DatabaseListSchema = z.object({
  databases: z.array(DatabaseInfoSchema),
  /** False when the user may not run listDatabases: the list holds only the URI's databases. */
  complete: z.boolean(),
});
export type DatabaseList = z.infer<typeof DatabaseListSchema>;

export const ConnectionTestSchema = z.object({
  serverVersion: z.string(),
  roundTripMs: z.number(),
  /** What listDatabases would show, so a form can offer a database before the profile is saved. */
  databases: DatabaseListSchema,
});
export type ConnectionTest = z.infer<typeof ConnectionTestSchema>;

export { MIB, GIB };

/** User settings as stored (getSettings); updateSettings checks the stricter bounds below. */
export const SettingsSchema = z.object({
  /** Size cap of the artifact content cache (least recently used files go first). */
  artifactCacheBytes: z.number().int().min(0),
  /** Minutes between background syncs of every source; 0 turns them off. */
  backgroundSyncMinutes: z.number().int().min(0),
  /** Seconds between refreshes of RUNNING runs while online. */
  liveRefreshSeconds: z.number().int().min(1),
  /**
   * On Linux without a keyring (weak-keystore), write remembered passwords anyway, under
   * Chromium's fixed key; off by default, so they stay in memory until the app closes.
   */
  rememberPasswordsOnWeakKeystore: z.boolean(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export { DEFAULT_SETTINGS };

/** A partial update: only the given keys change. */
export const SettingsUpdateSchema = z
  .object({
    artifactCacheBytes: z
      .number()
      .int()
      .min(64 * MIB, 'must be at least 64 MiB (67108864 bytes)')
      .max(1024 * GIB, 'must be at most 1 TiB'),
    backgroundSyncMinutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60, 'must be at most 1440 (a day)'),
    liveRefreshSeconds: z.number().int().min(1).max(3600, 'must be at most 3600 (an hour)'),
    rememberPasswordsOnWeakKeystore: z.boolean(),
  })
  .partial()
  .strict();
export type SettingsUpdate = z.infer<typeof SettingsUpdateSchema>;

export const ArtifactCacheInfoSchema = z.object({
  /** Bytes of artifact content kept on disk now. */
  bytes: z.number().int(),
  capBytes: z.number().int(),
  files: z.number().int(),
  /** The folder holding the cached artifact files. */
  directory: z.string(),
  /** The SQLite cache file (runs, metrics, settings, the artifact index). */
  cacheFile: z.string(),
});
export type ArtifactCacheInfo = z.infer<typeof ArtifactCacheInfoSchema>;

export const ArtifactDownloadSummarySchema = z.object({
  source: z.string(),
  runs: z.number().int(),
  /** Artifacts of those runs. */
  artifacts: z.number().int(),
  /** Fetched now. */
  downloaded: z.number().int(),
  /** Already available offline (in the cache, or on disk for a folder source). */
  alreadyAvailable: z.number().int(),
  /** Left out: gone from GridFS, larger than the cache, or the cache cap was reached. */
  skipped: z.number().int(),
  /** Bytes fetched now. */
  bytes: z.number().int(),
  /** Why some were skipped, or null. */
  message: z.string().nullable(),
});
export type ArtifactDownloadSummary = z.infer<typeof ArtifactDownloadSummarySchema>;

/** Lets a UI cancel a long connection attempt: pass the same id to cancelOperation. */
const operationId = z.string().min(1).max(128).optional();

// --- The run table (issue 6): queries over all sources, columns, views, export. ---

/** A column id: the text form of a column path, e.g. `config.optimizer.lr`, `metrics.loss.last`, `config."a.b".c`. */
const columnId = z.string().min(1).max(4096);

export const SortSpecSchema = z.object({ column: columnId, desc: z.boolean().optional() }).strict();

/** A filter as text (the filter language) or as its tree (shared/filter/filter-ast.ts). */
export const WhereSchema = z.union([z.string().max(100_000), FilterNodeSchema]);

const runQuery = {
  /** Omit for every source. */
  sources: z.array(SourceNameSchema).max(1000).optional(),
  where: WhereSchema.optional(),
  /** Default: start_time descending. Ties keep source name, then newest first. */
  sort: z.array(SortSpecSchema).max(16).optional(),
};

export const QueryRowSchema = z.object({
  source: z.string(),
  id: z.string(),
  status: z.string(),
  probablyDead: z.boolean(),
  /** Requested column id → value; a missing value has no key (null is a value). Dates as ISO text. */
  values: z.record(z.string(), JsonValueSchema),
});
export type QueryRow = z.infer<typeof QueryRowSchema>;

export const QueryResultSchema = z.object({
  rows: z.array(QueryRowSchema),
  /** Runs matching the filter (all pages). */
  total: z.number().int(),
  /** The requested columns as canonical column ids, in the requested order. */
  columns: z.array(z.string()),
  elapsedMs: z.number(),
});
export type QueryResult = z.infer<typeof QueryResultSchema>;

export const ColumnTypeSchema = z.enum([
  'number',
  'string',
  'bool',
  'date',
  'list',
  'object',
  'mixed',
  'null',
]);

export const ColumnInfoSchema = z.object({
  id: z.string(),
  path: z.array(z.string()),
  group: z.enum(['builtin', 'config', 'info', 'host', 'meta', 'experiment', 'result', 'metrics']),
  type: ColumnTypeSchema,
  /** Distinct values seen, counted up to a cap (see distinctCapped). */
  distinct: z.number().int(),
  distinctCapped: z.boolean(),
  /** Runs that have a value in this column. */
  present: z.number().int(),
  /** Named by Omniboard's omniboard.custom.columns / omniboard.metric.columns: offer it first. */
  suggested: z.boolean(),
  /** Omniboard's name for the column, or null. */
  label: z.string().nullable(),
});
export type ColumnInfo = z.infer<typeof ColumnInfoSchema>;

export const DistinctValuesSchema = z.object({
  /** Most frequent first, then by value. */
  values: z.array(z.object({ value: JsonValueSchema, count: z.number().int() })),
  /** Number of distinct values in total. */
  distinct: z.number().int(),
  /** False when `values` was cut at the limit. */
  complete: z.boolean(),
});
export type DistinctValues = z.infer<typeof DistinctValuesSchema>;

export const ViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  columns: z.array(z.string()),
  /** The filter in its text form ('' for none). */
  filter: z.string(),
  sort: z.array(SortSpecSchema),
  /** null: every source. */
  sources: z.array(z.string()).nullable(),
  isDefault: z.boolean(),
  /** UI-owned layout (column widths, pinned columns, ...), stored as given. */
  layout: JsonObjectSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type View = z.infer<typeof ViewSchema>;

const viewName = z.string().trim().min(1, 'must not be empty').max(128);

export const ExportResultSchema = z.object({
  rows: z.number().int(),
  bytes: z.number().int(),
  /** The exported text, or null when it was written to `path`. */
  text: z.string().nullable(),
  path: z.string().nullable(),
});
export type ExportResult = z.infer<typeof ExportResultSchema>;

// --- Raw data of Altar runs (issue 5 item 5): storage profiles, raw data rows, links. ---

export const StorageProfileSchema = z.object({
  source: z.string(),
  /** "https://minio.lab:9000" (the scheme decides TLS); null when only local roots are set. */
  endpoint: z.string().nullable(),
  tls: z.boolean(),
  region: z.string(),
  /** Path-style addressing (bucket in the path, as MinIO wants). */
  pathStyle: z.boolean(),
  accessKeyId: z.string().nullable(),
  /** A secret access key is known; the key itself never leaves the core. */
  hasSecret: z.boolean(),
  secretStorage: z.enum(['keystore', 'memory', 'none']),
  /** Folders on this computer where the lab's local raw data may be found. */
  localRoots: z.array(z.string()),
  updatedAt: z.string(),
});
export type StorageProfile = z.infer<typeof StorageProfileSchema>;

export const RawDataKindSchema = z.enum(['minio', 'local']);
export type RawDataKind = z.infer<typeof RawDataKindSchema>;

export const RawDataRowSchema = z.object({
  kind: RawDataKindSchema,
  stem: z.string(),
  fileName: z.string(),
  type: z.string().nullable(),
  /** As stored, e.g. "12.30 Mo". */
  size: z.string().nullable(),
  /** `size` in bytes (1024-based French units o/Ko/Mo/Go), approximate; null if unparsable. */
  sizeBytes: z.number().nullable(),
  /** "2023-04-17 18:13:00" from the stored name (the lab's local time), or null. */
  acquired: z.string().nullable(),
  /** MinIO: "bucket/minio_folder"; local: local_path as stored. */
  location: z.string().nullable(),
  contentType: z.string().nullable(),
  /**
   * MinIO: ready (endpoint, access key and secret known), no-profile (no endpoint for the
   * source), no-secret (no secret access key known in this process). Local: found (`path` is a
   * readable file here) or missing (`path` is where it was expected, `searched` where we looked).
   */
  availability: z.enum(['ready', 'no-profile', 'no-secret', 'found', 'missing']),
  bucket: z.string().nullable(),
  key: z.string().nullable(),
  path: z.string().nullable(),
  searched: z.array(z.string()),
});
export type RawDataRow = z.infer<typeof RawDataRowSchema>;

const storageFields = {
  /** http:// or https:// URL of the S3/MinIO server; null removes it. */
  endpoint: z.string().trim().min(1).max(2048).nullable().optional(),
  region: z.string().trim().min(1).max(64).optional(),
  pathStyle: z.boolean().optional(),
  accessKeyId: z.string().trim().min(1).max(512).nullable().optional(),
  /** Omit to keep the stored secret; null forgets it. */
  secretAccessKey: z.string().min(1).max(1024).nullable().optional(),
};

const stem = z.string().min(1).max(1024);

const empty = z.object({}).strict();

/** The method table: the single list every host and client is generated from. */
export const methods = {
  getAppInfo: { args: empty, result: AppInfoSchema },
  listSources: { args: empty, result: z.array(SourceInfoSchema) },
  addFolderSource: {
    args: z.object({ name: SourceNameSchema, path: z.string().min(1).max(4096) }).strict(),
    result: SourceInfoSchema,
  },
  removeSource: {
    args: z.object({ name: SourceNameSchema }).strict(),
    result: z.object({ removed: z.literal(true) }),
  },
  /** Adds and removes trusted folders of a source (absolute paths of existing folders). */
  updateTrustedFolders: {
    args: z
      .object({
        source: SourceNameSchema,
        add: z.array(z.string().min(1).max(4096)).max(20).optional(),
        remove: z.array(z.string().min(1).max(4096)).max(100).optional(),
      })
      .strict(),
    result: SourceInfoSchema,
  },
  /** Per-source settings: whether the desktop app announces finished RUNNING runs. */
  updateSourceSettings: {
    args: z
      .object({ source: SourceNameSchema, notifyFinishedRuns: z.boolean().optional() })
      .strict(),
    result: SourceInfoSchema,
  },
  syncSources: {
    args: z.object({ names: z.array(SourceNameSchema).max(100).optional() }).strict(),
    result: z.array(SyncSummarySchema),
  },
  createDemo: {
    args: z.object({ runs: z.number().int().min(1).max(100_000).optional() }).strict(),
    result: SourceInfoSchema,
  },
  listRuns: {
    args: z
      .object({
        source: SourceNameSchema.optional(),
        limit: z.number().int().min(1).max(1_000_000).optional(),
        offset: z.number().int().min(0).optional(),
      })
      .strict(),
    result: z.object({ runs: z.array(RunSummarySchema), total: z.number().int() }),
  },
  getRun: { args: RunKeySchema.strict(), result: RunDetailSchema },
  getCapturedOutput: {
    args: RunKeySchema.extend({
      maxBytes: z
        .number()
        .int()
        .min(1)
        .max(64 * 1024 * 1024)
        .optional(),
      /**
       * Only the output after this byte (a follow view appends it): the text then covers bytes
       * [totalBytes - its UTF-8 length, totalBytes), `truncated` when that starts after fromByte.
       * totalBytes below fromByte means the output was rewritten: read it again from the start.
       */
      fromByte: z.number().int().min(0).optional(),
    }).strict(),
    result: CapturedOutputSchema,
  },
  getMetric: {
    args: RunKeySchema.extend({
      name: z.string().min(1).max(1024),
      /** Downsample to about this many points (two per horizontal pixel); omit for all. */
      maxPoints: z.number().int().min(2).max(10_000_000).optional(),
      /** Only points whose step lies in [xMin, xMax] (a zoomed plot); omit for all steps. */
      xMin: z.number().optional(),
      xMax: z.number().optional(),
    }).strict(),
    result: MetricSeriesSchema,
  },
  getSourceFile: {
    args: RunKeySchema.extend({ name: z.string().min(1).max(4096) }).strict(),
    result: SourceFileContentSchema,
  },
  listProfiles: { args: empty, result: z.array(ConnectionProfileSchema) },
  saveProfile: {
    args: z
      .object({
        /** Omit to create a profile; give to edit one. */
        id: z.string().min(1).max(128).optional(),
        name: z.string().trim().min(1).max(128),
        ...connectionTarget,
        /** Keep the password in the OS keystore (desktop only); otherwise in memory. */
        rememberPassword: z.boolean().optional(),
      })
      .strict(),
    result: ConnectionProfileSchema,
  },
  removeProfile: {
    args: z.object({ id: z.string().min(1).max(128) }).strict(),
    result: z.object({ removed: z.literal(true) }),
  },
  testConnection: {
    args: z
      .object({
        /** Test a saved profile, or an unsaved uri/fields (+ password). */
        profileId: z.string().min(1).max(128).optional(),
        ...connectionTarget,
        timeoutMs: z.number().int().min(100).max(120_000).optional(),
        operationId,
      })
      .strict(),
    result: ConnectionTestSchema,
  },
  listDatabases: {
    args: z
      .object({
        profileId: z.string().min(1).max(128),
        timeoutMs: z.number().int().min(100).max(120_000).optional(),
        operationId,
      })
      .strict(),
    result: DatabaseListSchema,
  },
  addMongoSource: {
    args: z
      .object({
        name: SourceNameSchema,
        profileId: z.string().min(1).max(128),
        database: z.string().min(1).max(256),
        /** null/omitted: the `runs` collection; else `<prefix>_runs`. */
        prefix: z.string().min(1).max(200).nullable().optional(),
        /** Accept a database without the runs collection (a new one to restore into). */
        allowEmpty: z.boolean().optional(),
      })
      .strict(),
    result: SourceInfoSchema,
  },
  cancelOperation: {
    args: z.object({ operationId: z.string().min(1).max(128) }).strict(),
    result: z.object({ cancelled: z.boolean() }),
  },
  getSettings: { args: empty, result: SettingsSchema },
  updateSettings: { args: SettingsUpdateSchema, result: SettingsSchema },
  getArtifactCacheInfo: { args: empty, result: ArtifactCacheInfoSchema },
  clearArtifactCache: { args: empty, result: ArtifactCacheInfoSchema },
  makeArtifactsAvailableOffline: {
    args: z
      .object({
        source: SourceNameSchema,
        /** Run ids; omit for every run of the source. */
        ids: z.array(z.string().min(1).max(512)).max(1_000_000).optional(),
      })
      .strict(),
    result: ArtifactDownloadSummarySchema,
  },
  /** Stops a running sync of the source between two runs; what was written stays cached. */
  cancelSync: {
    args: z.object({ source: SourceNameSchema }).strict(),
    result: z.object({ cancelled: z.boolean() }),
  },
  queryRuns: {
    args: z
      .object({
        ...runQuery,
        /** Column ids whose values each row carries. */
        columns: z.array(columnId).max(1000).optional(),
        offset: z.number().int().min(0).optional(),
        /** Default 100. */
        limit: z.number().int().min(0).max(1_000_000).optional(),
      })
      .strict(),
    result: QueryResultSchema,
  },
  listColumns: {
    args: z.object({ sources: runQuery.sources }).strict(),
    result: z.object({ columns: z.array(ColumnInfoSchema) }),
  },
  distinctValues: {
    args: z
      .object({
        column: columnId,
        sources: runQuery.sources,
        /** Count only runs matching this filter. */
        where: WhereSchema.optional(),
        /** Keep values whose text contains this (case-insensitive). */
        search: z.string().max(1000).optional(),
        /** Default 200. */
        limit: z.number().int().min(1).max(100_000).optional(),
      })
      .strict(),
    result: DistinctValuesSchema,
  },
  listViews: { args: empty, result: z.array(ViewSchema) },
  saveView: {
    args: z
      .object({
        /** Omit to create a view; give to replace one. */
        id: z.string().min(1).max(128).optional(),
        name: viewName,
        columns: z.array(columnId).max(1000),
        /** Text form; must parse. */
        filter: z.string().max(100_000),
        sort: z.array(SortSpecSchema).max(16),
        sources: z.array(SourceNameSchema).max(1000).nullable(),
        /** True makes it the view opened at start (the previous default loses the flag). */
        isDefault: z.boolean().optional(),
        layout: JsonObjectSchema.optional(),
      })
      .strict(),
    result: ViewSchema,
  },
  renameView: {
    args: z.object({ id: z.string().min(1).max(128), name: viewName }).strict(),
    result: ViewSchema,
  },
  deleteView: {
    args: z.object({ id: z.string().min(1).max(128) }).strict(),
    result: z.object({ removed: z.literal(true) }),
  },
  exportRuns: {
    args: z
      .object({
        ...runQuery,
        /** The visible columns, in order; default shared/filter DEFAULT_COLUMNS. */
        columns: z.array(columnId).max(1000).optional(),
        format: z.enum(['csv', 'json']),
        /** Only the first N runs of the query's order (the CLI's --limit); default all. */
        limit: z.number().int().min(0).max(10_000_000).optional(),
        /** Write to this file (absolute path) instead of returning the text. */
        path: z.string().min(1).max(4096).optional(),
        /** Progress events (exportProgress) carry it. */
        operationId,
      })
      .strict(),
    result: ExportResultSchema,
  },
  exportMetrics: {
    args: z
      .object({
        ...runQuery,
        /** Run columns written before the metric values; default ["source", "id"]. */
        columns: z.array(columnId).max(1000).optional(),
        metrics: z.array(z.string().min(1).max(1024)).min(1).max(100),
        layout: z.enum(['steps-as-rows', 'steps-as-columns']),
        path: z.string().min(1).max(4096).optional(),
        operationId,
      })
      .strict(),
    result: ExportResultSchema,
  },
  getStorageProfile: {
    args: z.object({ source: SourceNameSchema }).strict(),
    result: StorageProfileSchema.nullable(),
  },
  saveStorageProfile: {
    args: z
      .object({
        source: SourceNameSchema,
        ...storageFields,
        /** Absolute folders on this computer; replaces the saved list. */
        localRoots: z.array(z.string().min(1).max(4096)).max(20).optional(),
      })
      .strict(),
    result: StorageProfileSchema,
  },
  removeStorageProfile: {
    args: z.object({ source: SourceNameSchema }).strict(),
    result: z.object({ removed: z.boolean() }),
  },
  /** Checks the saved profile, or unsaved fields given here over it (a form's Test button). */
  testStorageProfile: {
    args: z
      .object({
        source: SourceNameSchema,
        ...storageFields,
        /** HeadBucket on it; default: the first bucket the source's runs name, else ListBuckets. */
        bucket: z.string().min(1).max(255).optional(),
        timeoutMs: z.number().int().min(100).max(120_000).optional(),
      })
      .strict(),
    result: z.object({
      endpoint: z.string(),
      bucket: z.string().nullable(),
      /** The buckets listed when no bucket was checked; null otherwise. */
      buckets: z.array(z.string()).nullable(),
      roundTripMs: z.number(),
    }),
  },
  listRawData: {
    args: RunKeySchema.strict(),
    result: z.object({
      rows: z.array(RawDataRowSchema),
      /** False for a run without info.dataFiles (not an Altar upload). */
      hasDataFiles: z.boolean(),
      storage: StorageProfileSchema.nullable(),
    }),
  },
  /** A presigned GET URL of a MinIO entry, for use outside the app (the app streams instead). */
  rawDataLink: {
    args: RunKeySchema.extend({ stem, download: z.boolean().optional() }).strict(),
    result: z.object({ url: z.string(), expiresAt: z.string() }),
  },
  ...deleteMethods,
  ...metricsMethods,
  ...runsMethods,
  ...writesMethods,
  ...usersMethods,
  ...sendMethods,
  ...sendFilesMethods,
  ...backupMethods,
} as const;

export type MethodName = keyof typeof methods;
export const methodNames = Object.keys(methods) as MethodName[];
export type MethodArgs<M extends MethodName> = z.input<(typeof methods)[M]['args']>;
export type MethodResult<M extends MethodName> = z.output<(typeof methods)[M]['result']>;

/** What every door offers: the renderer's `api`, the HTTP client, the core itself. */
export type AltarApi = {
  [M in MethodName]: (args: MethodArgs<M>) => Promise<MethodResult<M>>;
};

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(methods, value);
}
