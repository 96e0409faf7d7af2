/**
 * The API contract: every method the UI, the CLI and tests may call, with a zod schema for
 * its arguments and its result. Hosts (IPC, HTTP) validate arguments against these schemas;
 * the renderer and the CLI only ever see these types.
 */
import { z } from 'zod';

/** JSON-safe value: non-finite numbers are the strings "NaN", "Infinity", "-Infinity". */
export const JsonValueSchema = z.json();
export type JsonValue = z.infer<typeof JsonValueSchema>;
export const JsonObjectSchema = z.record(z.string(), JsonValueSchema);
export type JsonObject = z.infer<typeof JsonObjectSchema>;

const name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[\w.-]+$/u, 'may contain only letters, digits, "_", "-" and "."');
export const SourceNameSchema = name;

/** ISO 8601 UTC with a trailing Z, or null. */
const isoTime = z.string().nullable();

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
});
export type SourceInfo = z.infer<typeof SourceInfoSchema>;

export const MetricSummarySchema = z.object({
  name: z.string(),
  count: z.number().int(),
  /** Values of the first and last point; NaN/Infinity as strings, null for a null point. */
  first: z.union([z.number(), z.string(), z.null()]),
  last: z.union([z.number(), z.string(), z.null()]),
  /** Over finite and infinite points; NaN points are counted in `count` but ignored here. */
  min: z.union([z.number(), z.string(), z.null()]),
  max: z.union([z.number(), z.string(), z.null()]),
});
export type MetricSummary = z.infer<typeof MetricSummarySchema>;

export const ArtifactRefSchema = z.object({
  name: z.string(),
  size: z.number().int().nullable(),
  /** Opaque id for the artifact URL (custom protocol in Electron, /artifacts/ over HTTP). */
  id: z.string(),
  contentType: z.string().nullable(),
});
export type ArtifactRef = z.infer<typeof ArtifactRefSchema>;

export const RunStatusSchema = z.string();

export const RunSummarySchema = z.object({
  source: z.string(),
  id: z.string(),
  status: RunStatusSchema,
  /** RUNNING with a heartbeat older than the rule in shared/probably-dead.ts. */
  probablyDead: z.boolean(),
  experiment: z.string().nullable(),
  command: z.string().nullable(),
  start_time: isoTime,
  stop_time: isoTime,
  heartbeat: isoTime,
  host: z.string().nullable(),
  config: JsonObjectSchema,
  result: JsonValueSchema,
  comment: z.string().nullable(),
  tags: z.array(z.string()),
  metrics: z.array(MetricSummarySchema),
  artifacts: z.array(ArtifactRefSchema),
  /** Why the run could not be read completely (empty run.json, ...), or null. */
  unreadable: z.string().nullable(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

export const SourceFileRefSchema = z.object({
  name: z.string(),
  /** False when the file is referenced but not stored (missing from _sources). */
  available: z.boolean(),
});

export const ResourceRefSchema = z.object({
  path: z.string(),
  stored: z.string().nullable(),
  available: z.boolean(),
});

export const RunDetailSchema = RunSummarySchema.extend({
  info: JsonObjectSchema,
  hostInfo: JsonObjectSchema,
  experimentInfo: JsonObjectSchema,
  meta: JsonObjectSchema,
  failTrace: z.array(z.string()).nullable(),
  sourceFiles: z.array(SourceFileRefSchema),
  resources: z.array(ResourceRefSchema),
  capturedOutputBytes: z.number().int(),
  /** Problems found while reading, one line each (missing config.json, truncated metrics...). */
  warnings: z.array(z.string()),
});
export type RunDetail = z.infer<typeof RunDetailSchema>;

export const RunKeySchema = z.object({ source: SourceNameSchema, id: z.string().min(1).max(512) });
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
  downsampled: z.boolean(),
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
  seconds: z.number(),
});
export type SyncSummary = z.infer<typeof SyncSummarySchema>;

export const AppInfoSchema = z.object({
  version: z.string(),
  dataDir: z.string(),
  /** Which door the renderer is talking through. */
  door: z.enum(['electron', 'http', 'direct']),
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
  /** Writes (tags, notes, delete) are off unless the user turns them on per connection. */
  allowWrites: z.boolean(),
});
export type ConnectionProfile = z.infer<typeof ConnectionProfileSchema>;

/** A connection to check or save: a full URI, or form fields the core turns into one. */
const connectionTarget = {
  uri: z.string().min(1).max(8192).optional(),
  fields: ConnectionFieldsSchema.optional(),
  /** Omit to keep the stored password; null forgets it. */
  password: z.string().max(1024).nullable().optional(),
};

export const ConnectionTestSchema = z.object({
  serverVersion: z.string(),
  roundTripMs: z.number(),
});
export type ConnectionTest = z.infer<typeof ConnectionTestSchema>;

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

/** Lets a UI cancel a long connection attempt: pass the same id to cancelOperation. */
const operationId = z.string().min(1).max(128).optional();

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
    }).strict(),
    result: CapturedOutputSchema,
  },
  getMetric: {
    args: RunKeySchema.extend({
      name: z.string().min(1).max(1024),
      /** Downsample to about this many points (two per horizontal pixel); omit for all. */
      maxPoints: z.number().int().min(2).max(10_000_000).optional(),
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
        allowWrites: z.boolean().optional(),
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
      })
      .strict(),
    result: SourceInfoSchema,
  },
  cancelOperation: {
    args: z.object({ operationId: z.string().min(1).max(128) }).strict(),
    result: z.object({ cancelled: z.boolean() }),
  },
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
