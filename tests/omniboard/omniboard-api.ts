// Omniboard 2.16.1's HTTP API, called the way its web UI calls it (web/src/components:
// RunsTable/runsTable.js, DrillDownView/drillDownView.js, SourceFilesView/sourceFilesView.js,
// App/index.js), so a test sees what an Omniboard user sees. Reads, and the writes the UI
// makes (tags, notes, delete, settings and column definitions).

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonDoc = { [key: string]: Json };

/** Query parameters of GET Runs and Runs/count (server/runs.response.js). */
export interface RunsParams {
  select?: string;
  sort_by?: string;
  order_by?: 1 | -1 | '1' | '-1';
  /** A JSON filter; the UI always sends one, `{}` without filters. */
  query?: string;
  limit?: number;
  skip?: number;
}

/** The select of the UI's first load (runsTable.js `_buildRunsQuery`, no saved columns). */
export const UI_DEFAULT_SELECT =
  '_id,heartbeat,experiment,command,host,stop_time,config,duration,' +
  'result,start_time,resources,format,status,omniboard,metrics,meta';

/** The select of the run drill-down (drillDownView.js). */
export const UI_DRILL_DOWN_SELECT =
  'captured_out,info,meta,host,experiment,artifacts,config,fail_trace,status';

export interface MetricColumnDef {
  name: string;
  metric_name: string;
  extrema: 'min' | 'max' | 'avg' | 'last' | 'last_avg';
  lastn?: number;
}

export interface CustomColumnDef {
  name: string;
  config_path: string;
}

/**
 * The UI's first-load parameters: the default select plus every metric column's name and
 * every custom column's config path not already under a selected root, newest `_id` first,
 * the `initial_fetch_size` setting as limit.
 */
export function uiRunsParams(
  metricColumns: readonly { name: string }[],
  customColumns: readonly { config_path: string }[],
  limit: number,
): RunsParams {
  let select = UI_DEFAULT_SELECT;
  if (metricColumns.length > 0) select += `,${metricColumns.map((c) => c.name).join(',')}`;
  const roots = select.split(',');
  const paths = customColumns
    .map((c) => c.config_path)
    .filter((p) => p !== undefined && !roots.includes(p.split('.')[0] ?? ''));
  if (paths.length > 0) select += `,${paths.join(',')}`;
  return { select, sort_by: '_id', order_by: '-1', query: '{}', limit };
}

export class OmniboardHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    message: string,
  ) {
    super(message);
  }
}

export class OmniboardApi {
  /** @param base `http://127.0.0.1:<port>/<key>/` */
  constructor(
    readonly base: string,
    private readonly output: () => string = () => '',
  ) {}

  private url(route: string, params: Record<string, string | number | undefined> = {}): string {
    const url = new URL(`api/v1/${route}`, this.base);
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  private async request(method: string, url: string, body?: unknown): Promise<Response> {
    const response = await fetch(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      const text = await response.text();
      const log = this.output().split('\n').slice(-15).join('\n');
      throw new OmniboardHttpError(
        response.status,
        text,
        `omniboard ${method} ${url} answered ${response.status}: ${text}\n--- omniboard log tail ---\n${log}`,
      );
    }
    return response;
  }

  private async json<T>(method: string, url: string, body?: unknown): Promise<T> {
    const response = await this.request(method, url, body);
    if (response.status === 204) return null as T;
    return (await response.json()) as T;
  }

  private async bytes(url: string): Promise<Buffer> {
    return Buffer.from(await (await this.request('GET', url)).arrayBuffer());
  }

  // ---- reads ----

  /** GET /api/v1/database: {key, name, path}. */
  database(): Promise<{ key: string; name: string; path: string }> {
    return this.json('GET', this.url('database'));
  }

  settings(): Promise<JsonDoc[]> {
    return this.json('GET', this.url('Omniboard.Settings'));
  }

  metricColumns(): Promise<(JsonDoc & MetricColumnDef)[]> {
    return this.json('GET', this.url('Omniboard.Metric.Columns'));
  }

  customColumns(): Promise<(JsonDoc & CustomColumnDef)[]> {
    return this.json('GET', this.url('Omniboard.Custom.Columns'));
  }

  /** The run table's aggregation (server/runs.response.js). */
  runs(params: RunsParams): Promise<JsonDoc[]> {
    return this.json('GET', this.url('Runs', { ...params }));
  }

  /** Runs/count: with `query` the aggregation's $count, without it estimatedDocumentCount. */
  async count(query?: string): Promise<number> {
    const answer = await this.json<{ count: number }>('GET', this.url('Runs/count', { query }));
    return answer.count;
  }

  /** Runs?distinct=…: the tag list of the tag editor uses `omniboard.tags`. */
  distinct(field: string): Promise<Json[]> {
    return this.json('GET', this.url('Runs', { distinct: field }));
  }

  /** Runs/:id (numeric ids only: the server matches `Number(id)`). */
  run(id: number | string, select = UI_DRILL_DOWN_SELECT): Promise<JsonDoc> {
    return this.json('GET', this.url(`Runs/${id}`, { select }));
  }

  /** The metrics documents of a run, as the drill-down asks for them. */
  metrics(runId: number | string): Promise<JsonDoc[]> {
    return this.json('GET', this.url('Metrics', { query: `{"run_id":"${runId}"}` }));
  }

  /** The metric names the metric column editor offers (Metrics?distinct=name). */
  metricNames(): Promise<Json[]> {
    return this.json('GET', this.url('Metrics', { distinct: 'name' }));
  }

  /**
   * The metrics of several runs with each one's run populated (mongoose populate: a second
   * find on runs), as the metrics compare view asks for them.
   */
  compareMetrics(runIds: number[]): Promise<JsonDoc[]> {
    const populate = {
      path: 'run',
      select: [
        '-captured_out',
        '-meta',
        '-heartbeat',
        '-result',
        '-start_time',
        '-stop_time',
        '-resources',
        '-artifacts',
        '-format',
        '-command',
        '-info.metrics',
        '-experiment.sources',
      ],
    };
    return this.json(
      'GET',
      this.url('Metrics', {
        query: JSON.stringify({ run_id: { $in: runIds } }),
        // axios 0.18 (Omniboard's) sends an object parameter as its JSON.
        populate: JSON.stringify(populate),
      }),
    );
  }

  /** The config and captured output compare views: two runs by `_id $in`, a few fields. */
  compareRuns(runIds: number[], select: string): Promise<JsonDoc[]> {
    return this.runs({ query: JSON.stringify({ _id: { $in: runIds } }), select });
  }

  /** fs.files documents of the run's sources (files/source/:runId). */
  sourceFiles(runId: number | string): Promise<JsonDoc[]> {
    return this.json('GET', this.url(`files/source/${runId}`));
  }

  /** fs.files documents of the run's artifacts (files/artifacts/:runId). */
  artifacts(runId: number | string): Promise<JsonDoc[]> {
    return this.json('GET', this.url(`files/artifacts/${runId}`));
  }

  /** A GridFS file's bytes, as the Download button fetches them. */
  download(fileId: string, fileName: string): Promise<Buffer> {
    return this.bytes(this.url(`files/download/${fileId}/${encodeURIComponent(fileName)}`));
  }

  /** A GridFS file's bytes, as the inline preview fetches them. */
  preview(fileId: string): Promise<Buffer> {
    return this.bytes(this.url(`files/preview/${fileId}`));
  }

  /** "Download all": a zip of the run's artifacts or source files. */
  downloadAll(runId: number | string, type: 'artifacts' | 'source_files'): Promise<Buffer> {
    return this.bytes(this.url(`files/downloadAll/${runId}/${type}`));
  }

  /** How many runs use each source file of the run (the delete dialog's check). */
  sourceFilesCount(runId: number | string): Promise<{ _id: string; count: number }[]> {
    return this.json('GET', this.url(`SourceFilesCount/${runId}`));
  }

  /** The SourceFiles aggregation (runs joined with fs.files through $toObjectId). */
  sourceFilesOfRuns(query?: string, limit?: number): Promise<{ _id: Json; files: JsonDoc[] }[]> {
    return this.json('GET', this.url('SourceFiles', { query, limit }));
  }

  // ---- writes (as the UI makes them) ----

  /** The tag editor: PUT Runs/:id {omniboard: {tags}} → $set omniboard.tags. */
  setTags(id: number | string, tags: string[]): Promise<JsonDoc> {
    return this.json('PUT', this.url(`Runs/${id}`), { omniboard: { tags } });
  }

  /** The notes editor: PUT Runs/:id {omniboard: {notes}} → $set omniboard.notes. */
  setNotes(id: number | string, notes: string): Promise<JsonDoc> {
    return this.json('PUT', this.url(`Runs/${id}`), { omniboard: { notes } });
  }

  /** First load of the app: a missing setting is created (App/index.js). */
  addSetting(name: string, value: Json): Promise<JsonDoc> {
    return this.json('POST', this.url('Omniboard.Settings'), { name, value });
  }

  addMetricColumn(column: MetricColumnDef): Promise<JsonDoc> {
    return this.json('POST', this.url('Omniboard.Metric.Columns'), column);
  }

  addCustomColumn(column: CustomColumnDef): Promise<JsonDoc> {
    return this.json('POST', this.url('Omniboard.Custom.Columns'), column);
  }

  /**
   * Deletes a run as the UI's delete button does (runsTable.js `_handleDeleteRuns`): reads
   * the run's artifacts and sources and the source files' use counts, then sends, all at
   * once and in no guaranteed order, the deletes of its metrics, its artifacts' chunks and
   * files, the chunks and files of sources no other run uses, and the run. Returns the HTTP
   * statuses of those deletes (the UI reports success when all are 204).
   */
  async deleteRun(id: number): Promise<number[]> {
    const [run, counts] = await Promise.all([
      this.run(id, 'artifacts,experiment.sources'),
      this.sourceFilesCount(id),
    ]);
    const del = (route: string, query?: unknown): Promise<Response> =>
      this.request(
        'DELETE',
        this.url(route, { query: query === undefined ? undefined : JSON.stringify(query) }),
      );
    const deletes: Promise<Response>[] = [del('Metrics/', { run_id: id })];
    const artifacts = Array.isArray(run.artifacts) ? run.artifacts : [];
    const fileIds = artifacts
      .map((artifact) =>
        artifact !== null && typeof artifact === 'object' && !Array.isArray(artifact)
          ? artifact.file_id
          : undefined,
      )
      .filter((fileId): fileId is Json => fileId !== undefined);
    if (fileIds.length > 0) {
      deletes.push(del('Fs.chunks/', { $or: fileIds.map((fileId) => ({ files_id: fileId })) }));
      deletes.push(del('Fs.files/', { $or: fileIds.map((fileId) => ({ _id: fileId })) }));
    }
    const unshared = counts.filter((item) => item.count === 1).map((item) => item._id);
    if (unshared.length > 0) {
      deletes.push(del('Fs.chunks/', { $or: unshared.map((fileId) => ({ files_id: fileId })) }));
      deletes.push(del('Fs.files/', { $or: unshared.map((fileId) => ({ _id: fileId })) }));
    }
    deletes.push(del(`Runs/${id}`));
    return (await Promise.all(deletes)).map((response) => response.status);
  }
}
