import type { MethodName } from './contract';
import type { EventName } from './events';

/**
 * The contract's method and event names as plain lists, so that the renderer and the preload
 * script do not bundle zod just to know them. The type checks below fail the build when the
 * contract gains a method or an event that is not listed here.
 */
export const apiMethodNames = [
  'getAppInfo',
  'listSources',
  'addFolderSource',
  'removeSource',
  'updateTrustedFolders',
  'updateSourceSettings',
  'syncSources',
  'createDemo',
  'listRuns',
  'getRun',
  'getRuns',
  'getCapturedOutput',
  'getMetric',
  'getMetrics',
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
  'getStorageProfile',
  'saveStorageProfile',
  'removeStorageProfile',
  'testStorageProfile',
  'listRawData',
  'rawDataLink',
  'previewDeleteRuns',
  'deleteRuns',
  'listTrash',
  'restoreRun',
  'setSourceWrites',
  'setTags',
  'setNotes',
  'listTags',
  'listPendingEdits',
  'resolveEditConflict',
  'listLabUsers',
  'addLabUser',
  'changeLabUserPassword',
  'setLabUserRole',
  'removeLabUser',
  'previewSend',
  'sendRuns',
  'cancelSend',
  'listSendFolder',
  'previewSendFile',
  'estimateBackup',
  'inspectBackup',
  'exportBackup',
  'importBackup',
  'copyRuns',
  'cancelBackup',
] as const satisfies readonly MethodName[];

export const apiEventNames = [
  'syncProgress',
  'artifactDownloadProgress',
  'sourcesChanged',
  'exportProgress',
  'runsChanged',
  'runFinished',
  'sendProgress',
  'backupProgress',
] as const satisfies readonly EventName[];

type MissingMethod = Exclude<MethodName, (typeof apiMethodNames)[number]>;
const _allMethods: [MissingMethod] extends [never] ? true : MissingMethod = true;
type MissingEvent = Exclude<EventName, (typeof apiEventNames)[number]>;
const _allEvents: [MissingEvent] extends [never] ? true : MissingEvent = true;
void _allMethods;
void _allEvents;
