// The sync benchmark's database: the in-memory MongoDB test server in a process of its own
// (so the syncing process is measured alone), seeded directly with generated documents.
//   tsx tests/bench/mongo-bench-server.ts RUNS METRICS POINTS BIG_RUNS BIG_POINTS NOW
// Prints one JSON line {uri, runs, metricDocs, points} and serves until killed.
import { startMongoTestServer } from '../support/mongo-test-server';
import { benchData } from './mongo-bench-data';

const [runs, metricsPerRun, pointsPerMetric, bigMetricRuns, bigMetricPoints, now] = process.argv
  .slice(2)
  .map(Number);
const data = benchData({
  runs: runs ?? 500,
  metricsPerRun: metricsPerRun ?? 5,
  pointsPerMetric: pointsPerMetric ?? 200,
  bigMetricRuns: bigMetricRuns ?? 0,
  bigMetricPoints: bigMetricPoints ?? 0,
  now: now ?? Date.now(),
});
const server = await startMongoTestServer();
server.seed('bench', 'runs', data.runs);
server.seed('bench', 'metrics', data.metrics);
process.stdout.write(
  `${JSON.stringify({
    uri: server.uri,
    runs: data.runs.length,
    metricDocs: data.metrics.length,
    points: data.points,
  })}\n`,
);
const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
