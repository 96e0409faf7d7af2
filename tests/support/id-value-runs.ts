// A small Sacred FileStorageObserver folder for issue 10 §4 ("run ids and values as Sacred
// wrote them"): numbered run folders 1..12 plus a string id and an ObjectId-like id, lowercase
// and custom statuses, a metric with NaN points, sub-millisecond metric times, string metric
// values and unreadable times, notes in meta.comment and info.notes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const STRING_ID = 'myrun7';
export const OBJECT_ID = '65a1f0c2e4b0a1b2c3d4e5f6';
/** Every id, in the order `--sort id` gives: numbers, then text, then ObjectIds. */
export const IDS_IN_ORDER = [
  ...Array.from({ length: 12 }, (_, i) => String(i + 1)),
  STRING_ID,
  OBJECT_ID,
];

/** Run 3: `loss` is [NaN, 1.5] (Sacred writes NaN bare), `fast` 1000 points over 4 ms. */
export const NAN_RUN = '3';
/** Run 4: two string values that are not numbers and one unreadable time in `acc`. */
export const ODD_VALUES_RUN = '4';
/** Run 5: meta.comment (Notes) and info.notes (an info key). */
export const NOTES_RUN = '5';
export const COMMENT_TEXT = 'tuned by hand on the big node';
export const INFO_NOTES_TEXT = 'info side remark zebra';
export const FAST_POINTS = 1000;

/** Sacred's `datetime.isoformat()` of a naive UTC time with microseconds. */
function isoMicros(baseMs: number, micros: number): string {
  const whole = new Date(baseMs + Math.floor(micros / 1000)).toISOString().slice(0, 19);
  const fraction = (((baseMs % 1000) * 1000 + micros) % 1_000_000).toString().padStart(6, '0');
  return `${whole}.${fraction}`;
}

function statusOf(id: string): string {
  if (id === '2' || id === '11') return 'FAILED';
  if (id === '9') return 'PREEMPTED'; // a custom SacredInterrupt status
  return 'COMPLETED';
}

export function writeIdValueRuns(root: string): void {
  const base = Date.UTC(2026, 10, 26, 21, 32, 2);
  IDS_IN_ORDER.forEach((id, index) => {
    const dir = join(root, id);
    mkdirSync(dir, { recursive: true });
    const start = base + index * 60_000;
    const run = {
      artifacts: [],
      command: 'main',
      experiment: {
        name: 'ids_exp',
        base_dir: '/home/alice/exp',
        dependencies: [],
        sources: [],
        repositories: [],
        mainfile: 'ids.py',
      },
      // Run 4 also has a heartbeat that is no time: shown as none, with a note.
      heartbeat: id === ODD_VALUES_RUN ? 'yesterday' : isoMicros(start + 30_000, 0),
      host: { hostname: 'vm', cpu: 'x', os: ['Linux', 'Linux'], python_version: '3.11.2', ENV: {} },
      meta: {
        command: 'main',
        options: {},
        ...(id === NOTES_RUN ? { comment: COMMENT_TEXT } : {}),
      },
      resources: [],
      result: index,
      start_time: isoMicros(start, 437_988),
      status: statusOf(id),
      stop_time: isoMicros(start + 30_000, 12),
    };
    writeFileSync(join(dir, 'run.json'), JSON.stringify(run, null, 2));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ seed: index, lr: 0.01 }));
    writeFileSync(join(dir, 'cout.txt'), `run ${id}\n`);
    const info = id === NOTES_RUN ? { notes: INFO_NOTES_TEXT } : {};
    writeFileSync(join(dir, 'info.json'), JSON.stringify(info));
    let metrics: string;
    if (id === NAN_RUN) {
      const fastTimes = Array.from(
        { length: FAST_POINTS },
        (_, i) => `"${isoMicros(start, i * 4)}"`,
      );
      metrics =
        `{"loss": {"steps": [0, 1], "timestamps": ["${isoMicros(start, 0)}", "${isoMicros(start, 1500)}"], "values": [NaN, 1.5]},` +
        ` "fast": {"steps": [${Array.from({ length: FAST_POINTS }, (_, i) => i).join(', ')}],` +
        ` "timestamps": [${fastTimes.join(', ')}],` +
        ` "values": [${Array.from({ length: FAST_POINTS }, (_, i) => i / FAST_POINTS).join(', ')}]}}`;
    } else if (id === ODD_VALUES_RUN) {
      metrics =
        `{"acc": {"steps": [0, 1, 2, 3], "timestamps": ["${isoMicros(start, 0)}", "not a time", "${isoMicros(start, 2000)}", "${isoMicros(start, 3000)}"],` +
        ` "values": [0.5, "high", "0.75", "n/a"]}}`;
    } else {
      metrics = `{"loss": {"steps": [0, 1], "timestamps": ["${isoMicros(start, 0)}", "${isoMicros(start, 1000)}"], "values": [${1 / (index + 1)}, ${0.5 / (index + 1)}]}}`;
    }
    writeFileSync(join(dir, 'metrics.json'), metrics);
  });
}
