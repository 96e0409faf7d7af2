// A MongoDB database as an Omniboard user's lab has it: Sacred runs (generated, every status,
// id type and odd document) plus what Omniboard itself stores — column definitions, its
// settings, and tags and notes on some runs, next to runs tagged the pre-Omniboard way
// (config.tags, meta.comment).
import type { Db } from 'mongodb';
import { generateSacredMongo } from '../support/sacred-mongo-generator';
import type { GeneratedSacredMongo } from '../support/sacred-mongo-generator';
import type { CustomColumnDef, MetricColumnDef } from './omniboard-api';

export interface OmniboardLab {
  generated: GeneratedSacredMongo;
  metricColumns: MetricColumnDef[];
  customColumns: CustomColumnDef[];
  /** Runs annotated in Omniboard: id → {tags, notes}. */
  annotated: Map<number, { tags: string[]; notes: string }>;
  /** A run tagged through Sacred's config (`config.tags`, a list), never in Omniboard. */
  configTagged: number;
  /** A run with a Sacred `--comment` (meta.comment) and no Omniboard notes. */
  commented: number;
  settings: { name: string; value: unknown }[];
}

/** What Omniboard's App creates on first load (appConstants/app.constants.js). */
export const OMNIBOARD_SETTINGS = [
  { name: 'timezone', value: 'Europe/Paris' },
  { name: 'auto_refresh_interval', value: 30 },
  { name: 'initial_fetch_size', value: 50 },
  { name: 'row_height', value: 70 },
];

/** The metric names logged by the most runs, most used first. */
async function commonMetricNames(db: Db, collection: string): Promise<string[]> {
  const counts = new Map<string, number>();
  for (const doc of await db
    .collection(collection)
    .find({}, { projection: { name: 1 } })
    .toArray()) {
    if (typeof doc.name === 'string') counts.set(doc.name, (counts.get(doc.name) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([n]) => n);
}

/** A dotted config path to a number that several runs have (nested when one exists). */
async function numericConfigPath(db: Db, runs: string): Promise<string> {
  const found = new Map<string, number>();
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'number' && path.split('.').length > 2) {
      found.set(path, (found.get(path) ?? 0) + 1);
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, item] of Object.entries(value)) walk(item, `${path}.${key}`);
    }
  };
  for (const doc of await db.collection(runs).find({}).toArray()) walk(doc.config, 'config');
  const best = [...found.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  return best?.[0] ?? 'config.seed';
}

export async function seedOmniboardLab(
  db: Db,
  options: { runs: number; seed: number; now: number },
): Promise<OmniboardLab> {
  const generated = await generateSacredMongo(db, {
    runs: options.runs,
    seed: options.seed,
    now: options.now,
    variants: true,
  });
  // Sacred ids are ints: the driver's default document type expects ObjectIds.
  const runs = db.collection<{ _id: number | string }>(generated.runsCollection);

  const names = await commonMetricNames(db, generated.metricsCollection);
  const [first, second] = names;
  if (first === undefined || second === undefined) throw new Error('the lab has too few metrics');
  // Column names are field names of Omniboard's $addFields: a dot would nest them.
  const label = (metric: string): string => metric.replace(/\./gu, '_');
  const metricColumns: MetricColumnDef[] = [
    { name: `${label(first)}_min`, metric_name: first, extrema: 'min' },
    { name: `${label(first)}_max`, metric_name: first, extrema: 'max' },
    { name: `${label(first)}_last`, metric_name: first, extrema: 'last' },
    { name: `${label(second)}_avg`, metric_name: second, extrema: 'avg' },
    { name: `${label(second)}_last3`, metric_name: second, extrema: 'last_avg', lastn: 3 },
  ];
  const customColumns: CustomColumnDef[] = [
    { name: 'seed', config_path: 'config.seed' },
    { name: 'nested', config_path: await numericConfigPath(db, generated.runsCollection) },
  ];
  await db.collection('omniboard.metric.columns').insertMany(metricColumns.map((c) => ({ ...c })));
  await db.collection('omniboard.custom.columns').insertMany(customColumns.map((c) => ({ ...c })));
  await db
    .collection('omniboard.settings')
    .insertMany(OMNIBOARD_SETTINGS.map((setting) => ({ ...setting })));

  // Plain numbered Sacred runs (not the odd variants) to annotate.
  const plain = generated.ids.filter(
    (id): id is number => typeof id === 'number' && generated.kinds.has(id),
  );
  const pick = (index: number): number => {
    const id = plain[index];
    if (id === undefined) throw new Error(`the lab has fewer than ${index + 1} plain runs`);
    return id;
  };
  // The generator annotates ~10% of runs itself; start from a clean slate for the ones used.
  await runs.updateMany({}, { $unset: { omniboard: '' } });
  const annotated = new Map<number, { tags: string[]; notes: string }>([
    [pick(1), { tags: ['baseline', 'paper'], notes: 'best so far; à refaire avec lr/2' }],
    [pick(2), { tags: ['sweep'], notes: '' }],
    [pick(3), { tags: [], notes: 'diverged after epoch 3' }],
  ]);
  for (const [id, omniboard] of annotated)
    await runs.updateOne({ _id: id }, { $set: { omniboard } });
  const configTagged = pick(4);
  await runs.updateOne({ _id: configTagged }, { $set: { 'config.tags': ['legacy', 'cpu'] } });
  const commented = pick(5);
  await runs.updateOne({ _id: commented }, { $set: { 'meta.comment': 'run from the old script' } });

  return {
    generated,
    metricColumns,
    customColumns,
    annotated,
    configTagged,
    commented,
    settings: OMNIBOARD_SETTINGS,
  };
}
