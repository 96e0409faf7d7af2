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
  kind: z.enum(['folder']),
  /** Where the runs come from, for display (a folder path). Never holds secrets. */
  location: z.string(),
  runCount: z.number().int(),
  unreadableCount: z.number().int(),
  lastSyncAt: isoTime,
  lastError: z.string().nullable(),
  state: SyncStateSchema,
  /** Whether the source can be reached right now (a folder that exists). */
  online: z.boolean(),
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
