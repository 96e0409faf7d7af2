// What a path a user hands over is: a folder of Sacred runs, one run's folder (it holds
// run.json, or is run.json itself), or neither. The desktop drop and the core's
// addFolderSource both ask, so a single run's folder is recognised the same way on every door.
import { stat } from 'node:fs/promises';
import path from 'node:path';

const RUN_FILE = 'run.json';

/** What a path the user handed over is. */
export type HandedPath =
  | { kind: 'runs'; folder: string }
  | { kind: 'run'; parent: string; runId: string }
  | { kind: 'unusable'; reason: string };

export async function classifyPath(given: string): Promise<HandedPath> {
  const target = path.resolve(given);
  let info;
  try {
    info = await stat(target);
  } catch {
    return { kind: 'unusable', reason: `${target} does not exist or cannot be read.` };
  }
  // run.json itself dropped: its run.
  const runDir = info.isFile() && path.basename(target) === RUN_FILE ? path.dirname(target) : null;
  if (runDir === null && !info.isDirectory()) {
    return { kind: 'unusable', reason: `${target} is a file, not a folder of Sacred runs.` };
  }
  const folder = runDir ?? target;
  const hasRunJson =
    runDir !== null ||
    (await stat(path.join(folder, RUN_FILE)).then(
      (file) => file.isFile(),
      () => false,
    ));
  if (!hasRunJson) return { kind: 'runs', folder };
  const parent = path.dirname(folder);
  if (parent === folder) return { kind: 'unusable', reason: `${folder} has no parent folder.` };
  return { kind: 'run', parent, runId: path.basename(folder) };
}
