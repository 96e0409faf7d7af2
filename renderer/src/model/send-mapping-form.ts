import type { SendMapping } from '../../../shared/contract/send-methods';

/** What a file of the first folder is mapped to in the wizard. */
export type FileRole = 'none' | 'config' | 'metrics' | 'results' | 'artifact' | 'raw';

/**
 * The mapping step's fields as the user left them, kept as typed (text, not parsed) so that
 * going back a step loses nothing. `mappingOfForm` turns it into the contract's SendMapping.
 */
export interface SendMappingForm {
  configFile: string;
  /** `$var$` / `$var%N$` pattern parsed from each folder's name; '' for none. */
  configFromName: string;
  flatten: boolean;
  configHeader: boolean;
  metricsFile: string;
  xAxis: string;
  /** Metric columns chosen; empty: every column but the x-axis. */
  metricColumns: string[];
  metricsHeader: boolean;
  /** '' guesses (comma, semicolon, tab). */
  separator: string;
  resultsFile: string;
  /** Files of the first folder stored as artifacts / raw data (relative paths). */
  artifactFiles: string[];
  rawFiles: string[];
  /** More globs, comma or line separated (names that differ per folder: `*.png`). */
  artifactGlobs: string;
  rawGlobs: string;
  rawTo: 'minio' | 'local';
  bucket: string;
  /** '' : the first local data folder of the source's storage profile. */
  localRoot: string;
}

export const emptyMappingForm: SendMappingForm = {
  configFile: '',
  configFromName: '',
  flatten: false,
  configHeader: false,
  metricsFile: '',
  xAxis: '',
  metricColumns: [],
  metricsHeader: true,
  separator: '',
  resultsFile: '',
  artifactFiles: [],
  rawFiles: [],
  artifactGlobs: '',
  rawGlobs: '',
  rawTo: 'local',
  bucket: '',
  localRoot: '',
};

/** The role a file has in the form (the first one that names it exactly). */
export function roleOfFile(form: SendMappingForm, path: string): FileRole {
  if (form.configFile === path) return 'config';
  if (form.metricsFile === path) return 'metrics';
  if (form.resultsFile === path) return 'results';
  if (form.artifactFiles.includes(path)) return 'artifact';
  if (form.rawFiles.includes(path)) return 'raw';
  return 'none';
}

/** The form with `path` given `role` (and taken from the role it had). */
export function withFileRole(form: SendMappingForm, path: string, role: FileRole): SendMappingForm {
  const next: SendMappingForm = {
    ...form,
    artifactFiles: form.artifactFiles.filter((file) => file !== path),
    rawFiles: form.rawFiles.filter((file) => file !== path),
  };
  if (next.configFile === path) next.configFile = '';
  if (next.metricsFile === path) {
    next.metricsFile = '';
    next.xAxis = '';
    next.metricColumns = [];
  }
  if (next.resultsFile === path) next.resultsFile = '';
  switch (role) {
    case 'config':
      next.configFile = path;
      break;
    case 'metrics':
      if (form.metricsFile !== path) {
        // Another table: the columns chosen for the previous one mean nothing here.
        next.xAxis = '';
        next.metricColumns = [];
      } else {
        next.xAxis = form.xAxis;
        next.metricColumns = form.metricColumns;
      }
      next.metricsFile = path;
      break;
    case 'results':
      next.resultsFile = path;
      break;
    case 'artifact':
      next.artifactFiles = [...next.artifactFiles, path];
      break;
    case 'raw':
      next.rawFiles = [...next.rawFiles, path];
      break;
    case 'none':
      break;
  }
  return next;
}

/** A file name as a glob that matches only itself (picomatch's special characters escaped). */
export function globOfPath(path: string): string {
  return path.replace(/[*?[\]{}()!+@\\]/gu, (char) => `\\${char}`);
}

/** Globs typed by the user: split on commas and new lines, blanks dropped, duplicates once. */
export function typedGlobs(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,\n]/u)
        .map((glob) => glob.trim())
        .filter((glob) => glob !== ''),
    ),
  ];
}

/** The form as the contract's mapping, or the first reason it cannot be sent as it is. */
export function mappingOfForm(
  form: SendMappingForm,
): { mapping: SendMapping; error: null } | { mapping: null; error: string } {
  const mapping: SendMapping = {};
  const separator = form.separator === '' ? undefined : form.separator;
  if (form.configFile !== '' || form.configFromName.trim() !== '') {
    mapping.config = {
      ...(form.configFile !== '' ? { file: form.configFile } : {}),
      ...(form.configFromName.trim() !== '' ? { fromName: form.configFromName.trim() } : {}),
      ...(form.flatten ? { flatten: true } : {}),
      ...(form.configHeader ? { header: true } : {}),
      ...(separator !== undefined ? { separator } : {}),
    };
  }
  if (form.metricsFile !== '') {
    mapping.metrics = {
      file: form.metricsFile,
      ...(form.xAxis !== '' ? { xAxis: form.xAxis } : {}),
      ...(form.metricColumns.length > 0 ? { columns: form.metricColumns } : {}),
      ...(form.metricsHeader ? {} : { header: false }),
      ...(separator !== undefined ? { separator } : {}),
    };
  }
  if (form.resultsFile !== '') mapping.results = { file: form.resultsFile };
  const artifacts = [
    ...new Set([...form.artifactFiles.map(globOfPath), ...typedGlobs(form.artifactGlobs)]),
  ];
  const raw = [...new Set([...form.rawFiles.map(globOfPath), ...typedGlobs(form.rawGlobs)])];
  if (artifacts.length > 0) mapping.artifacts = artifacts;
  if (raw.length > 0) {
    mapping.rawData = raw;
    mapping.rawTo = form.rawTo;
    if (form.rawTo === 'minio') {
      const bucket = form.bucket.trim();
      if (bucket === '') {
        return { mapping: null, error: 'Raw data to MinIO: name the bucket to send to.' };
      }
      mapping.bucket = bucket;
    } else if (form.localRoot.trim() !== '') {
      mapping.localRoot = form.localRoot.trim();
    }
  }
  if (Object.keys(mapping).length === 0) {
    return {
      mapping: null,
      error: 'Map at least one file (config, metrics, results, artifacts or raw data).',
    };
  }
  return { mapping, error: null };
}
