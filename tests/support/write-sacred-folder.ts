// Writes a generated Sacred FileStorage folder: `tsx tests/support/write-sacred-folder.ts DIR [RUNS] [SEED]`.
import { generateSacredFolder } from '../../main/core/demo/generate-sacred-folder';

const [dir, runs = '30', seed = '7'] = process.argv.slice(2);
if (!dir) {
  console.error('usage: write-sacred-folder.ts DIR [RUNS] [SEED]');
  process.exit(2);
}
await generateSacredFolder(dir, { runs: Number(runs), seed: Number(seed) });
