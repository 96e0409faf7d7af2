/**
 * The backup's readers and writers, which need the `bson` package: loaded with
 * `await backupIo()` when a backup, restore or copy starts, not with the core (issue 13: `serve`
 * start → URL loaded bson for them).
 */
export { writeBsonDump } from './bson-dump-writer';
export { readCacheDocSet } from './cache-doc-set';
export { readBsonDump } from './dump-reader';
export { readFolderDocSet } from './folder-doc-set';
export { writeFolderRuns } from './folder-writer';
export { readMongoDocSet } from './mongo-doc-set';
export { importIntoMongo } from './mongo-importer';
export {
  downloadRawData,
  planRawData,
  rawDataFiles,
  rawObjectsOf,
  uploadRawData,
  withRawDataBuckets,
} from './raw-data-backup';
