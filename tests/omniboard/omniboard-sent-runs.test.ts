// Runs sent by our app (issue 16) as real Omniboard shows them: the run table's row, the
// drill-down (config, info.dataFiles, status), the metrics it plots and the artifact it
// downloads, byte for byte, next to runs Sacred wrote.
import { MongoClient } from 'mongodb';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAltarCore } from '../../main/core/altar-core';
import type { AltarCore } from '../../main/core/altar-core';
import { encodePng } from '../../main/core/demo/png-encoder';
import { mongoUriWithCredentials, startMongoTestServer } from '../support/mongo-test-server';
import type { MongoTestServer } from '../support/mongo-test-server';
import { UI_DEFAULT_SELECT } from './omniboard-api';
import { startOmniboard } from './omniboard-process';
import type { OmniboardProcess } from './omniboard-process';
import { seedOmniboardLab } from './omniboard-seed';

const LAB = 'lab';
const FOLDER = '2023-04-17_18_13_Experiment1';
const PREFIX = 'BBTPRXK-20230417T181300';
let mongo: MongoTestServer;
let writer: MongoClient;
let core: AltarCore;
let root: string;
let omniboard: OmniboardProcess;
let sentId: number;
const png = encodePng({
  width: 3,
  height: 1,
  pixels: Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255]),
});

function databaseUri(database: string): string {
  return mongoUriWithCredentials(`${mongo.uri}/${database}`, 'lab', 'lab-pw');
}

beforeAll(async () => {
  mongo = await startMongoTestServer({
    users: [{ user: 'lab', password: 'lab-pw', roles: [{ role: 'readWrite', db: '*' }] }],
  });
  writer = new MongoClient(databaseUri('admin'));
  await writer.connect();
  await seedOmniboardLab(writer.db(LAB), { runs: 4, seed: 16, now: Date.now() });
  root = mkdtempSync(join(tmpdir(), 'altar-omniboard-sent-'));
  core = createAltarCore({ dataDir: join(root, 'data'), door: 'direct' });
  const profile = await core.saveProfile({ name: 'lab server', uri: databaseUri('admin') });
  await core.addMongoSource({ name: LAB, profileId: profile.id, database: LAB });
  await core.setSourceWrites({ source: LAB, enabled: true });
  const folder = join(root, FOLDER);
  mkdirSync(folder);
  writeFileSync(join(folder, 'config.yaml'), 'mouse: M12\nlaser_power: 5\n');
  writeFileSync(join(folder, 'metrics.csv'), 'time,speed,licks\n0,1.5,3\n1,2.5,4\n2,3.5,\n');
  writeFileSync(join(folder, 'results.json'), '{"accuracy": 0.93}');
  writeFileSync(join(folder, 'plot.png'), png);
  const sent = await core.sendRuns({
    source: LAB,
    folders: [folder],
    mapping: {
      config: { file: 'config.yaml' },
      metrics: { file: 'metrics.csv', xAxis: 'time' },
      results: { file: 'results.json' },
      artifacts: ['*.png'],
    },
  });
  sentId = Number(sent.runs[0]?.id);
  // max+1 over the lab's ids, which include one past 2^31 (an Int64 written by Sacred).
  expect(sentId).toBeGreaterThan(2 ** 31);
  omniboard = await startOmniboard([{ key: LAB, uri: databaseUri(LAB) }]);
}, 120_000);

afterAll(async () => {
  await omniboard?.close();
  await core?.close();
  await writer?.close();
  await mongo?.close();
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

it('shows a sent run in its table, drill-down, metrics and artifacts', async () => {
  const api = omniboard.api(LAB);
  const [row] = await api.runs({
    select: UI_DEFAULT_SELECT,
    query: JSON.stringify({ _id: sentId }),
  });
  expect(row).toMatchObject({
    _id: sentId,
    status: 'COMPLETED',
    command: 'run',
    experiment: { name: FOLDER },
    config: { experiment: FOLDER, mouse: 'M12', laser_power: 5 },
    result: { accuracy: 0.93 },
  });
  const detail = await api.run(sentId);
  expect(detail).toMatchObject({
    status: 'COMPLETED',
    info: { result: { accuracy: 0.93 }, dataFiles: { artifacts: { plot: `${PREFIX}-plot.png` } } },
  });
  const metrics = await api.metrics(sentId);
  expect(
    metrics
      .map((m) => ({ name: m.name, steps: m.steps, values: m.values }))
      .sort((a, b) => String(a.name).localeCompare(String(b.name))),
  ).toEqual([
    { name: 'licks', steps: [0, 1], values: [3, 4] },
    { name: 'speed', steps: [0, 1, 2], values: [1.5, 2.5, 3.5] },
  ]);
  const [file] = await api.artifacts(sentId);
  expect(file).toMatchObject({ filename: `artifact://runs/${sentId}/${PREFIX}-plot.png` });
  const bytes = await api.download(String(file?._id), `${PREFIX}-plot.png`);
  expect(bytes.equals(png)).toBe(true);
}, 60_000);
