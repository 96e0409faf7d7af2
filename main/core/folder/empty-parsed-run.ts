import type { ParsedRun } from './parsed-run';

/** A run with nothing learned yet: the reader fills it in; tests start from it. */
export function emptyParsedRun(id: string, status: string): ParsedRun {
  return {
    id,
    status,
    experiment: null,
    command: null,
    startTime: null,
    stopTime: null,
    heartbeat: null,
    hostname: null,
    config: {},
    result: null,
    comment: null,
    tags: [],
    info: {},
    hostInfo: {},
    experimentInfo: {},
    meta: {},
    failTrace: null,
    sourceFiles: [],
    resources: [],
    artifacts: [],
    metrics: [],
    capturedOutput: { text: '', truncated: false, totalBytes: 0 },
    unreadable: null,
    warnings: [],
  };
}
