/**
 * The JSON documents of a run that the run table reads paths from: the root a column path
 * starts with, and the text column of `runs` holding it (`run_json` names its JSONB copies by
 * the root). Column discovery, column loading and the run_json triggers all walk this list.
 */
export const RUN_JSON_ROOTS = [
  ['config', 'config'],
  ['info', 'info'],
  ['host', 'host_info'],
  ['meta', 'meta'],
  ['experiment', 'experiment_info'],
  ['result', 'result'],
] as const;

export type RunJsonRoot = (typeof RUN_JSON_ROOTS)[number][0];
