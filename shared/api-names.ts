import type { MethodName } from '../../../shared/contract';

/**
 * The contract's method names, listed here so the renderer does not bundle zod just to read
 * `methodNames`. The type check below fails the build when the contract gains a method.
 */
export const clientMethodNames = [
  'getAppInfo',
  'listSources',
  'addFolderSource',
  'removeSource',
  'syncSources',
  'createDemo',
  'listRuns',
  'getRun',
  'getCapturedOutput',
  'getMetric',
  'getSourceFile',
  'listProfiles',
  'saveProfile',
  'removeProfile',
  'testConnection',
  'listDatabases',
  'addMongoSource',
  'cancelOperation',
  'cancelSync',
  'getSettings',
  'updateSettings',
  'getArtifactCacheInfo',
  'clearArtifactCache',
  'makeArtifactsAvailableOffline',
  'queryRuns',
  'listColumns',
  'distinctValues',
  'listViews',
  'saveView',
  'renameView',
  'deleteView',
  'exportRuns',
  'exportMetrics',
] as const satisfies readonly MethodName[];

type Missing = Exclude<MethodName, (typeof clientMethodNames)[number]>;
const _complete: [Missing] extends [never] ? true : Missing = true;
void _complete;
