import { CacheStore } from '../../main/core/cache/cache-store';
import { cacheFilePath } from '../../main/core/data-dir';
import { writeRunTableData } from '../support/run-table-data';
const dir = process.argv[2] as string; const runs = Number(process.argv[3]);
const s = CacheStore.open(cacheFilePath(dir));
writeRunTableData(s, 'lab-a', { runs: Math.ceil(runs * 0.7), seed: 11, nowMs: Date.UTC(2025, 0, 1) });
writeRunTableData(s, 'lab-b', { runs: runs - Math.ceil(runs * 0.7), seed: 12, nowMs: Date.UTC(2025, 0, 1) });
s.close();
