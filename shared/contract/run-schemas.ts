/**
 * The schemas of a run as the contract gives it (summary, detail, key) and what they are made
 * of. In their own file so that a contract slice under shared/contract/ (runs-methods.ts) can
 * use them without importing shared/contract.ts, which spreads those slices: that would be a
 * cycle. shared/contract.ts re-exports every name here.
 */
import { z } from 'zod';
import { SourceNameSchema } from './source-name';

/** JSON-safe value: non-finite numbers are the strings "NaN", "Infinity", "-Infinity". */
export const JsonValueSchema = z.json();
export type JsonValue = z.infer<typeof JsonValueSchema>;
export const JsonObjectSchema = z.record(z.string(), JsonValueSchema);
export type JsonObject = z.infer<typeof JsonObjectSchema>;

/** ISO 8601 UTC with a trailing Z, or null. */
export const IsoTimeSchema = z.string().nullable();
const isoTime = IsoTimeSchema;

export const MetricSummarySchema = z.object({
  name: z.string(),
  count: z.number().int(),
  /** Values of the first and last point; NaN/Infinity as strings, null for a null point. */
  first: z.union([z.number(), z.string(), z.null()]),
  last: z.union([z.number(), z.string(), z.null()]),
  /** Over finite and infinite points; NaN points are counted in `count` but ignored here. */
  min: z.union([z.number(), z.string(), z.null()]),
  max: z.union([z.number(), z.string(), z.null()]),
  /** Points that are NaN or ±Infinity: left out of plots (and NaN of min, max and mean). */
  nonFinite: z.number().int().optional(),
});
export type MetricSummary = z.infer<typeof MetricSummarySchema>;

export const ArtifactRefSchema = z.object({
  name: z.string(),
  size: z.number().int().nullable(),
  /** Opaque id for the artifact URL (custom protocol in Electron, /artifacts/ over HTTP). */
  id: z.string(),
  contentType: z.string().nullable(),
  /**
   * Whether the content can be viewed offline: a MongoDB artifact when it is in the local
   * artifact cache; a folder artifact when its file was found (it is read from disk, never
   * copied). Optional for older hosts.
   */
  cached: z.boolean().optional(),
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
