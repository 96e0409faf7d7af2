import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { MetricPlan } from './metric-plan';
import { encodePyString, formatPyFloat } from './python-json';
import { pyIsoformat } from './python-time';

const FLUSH_AT = 256 * 1024;

/**
 * Writes metrics.json exactly as Sacred's `json.dump(..., sort_keys=True, indent=2)` lays it
 * out, streaming so a 2M-point (~100 MB) metric never exists as one string.
 * Returns the number of points written.
 */
export async function writeMetricsFile(
  path: string,
  metrics: readonly MetricPlan[],
): Promise<number> {
  const stream = createWriteStream(path);
  const failed = once(stream, 'error').then(([error]) => {
    throw error;
  });
  failed.catch(() => undefined);
  let buffer = '';
  let points = 0;
  const flush = async (): Promise<void> => {
    if (buffer.length === 0) return;
    const ok = stream.write(buffer);
    buffer = '';
    if (!ok) await Promise.race([once(stream, 'drain'), failed]);
  };
  const column = async (key: string, count: number, item: (i: number) => string, last: boolean) => {
    buffer += `    ${encodePyString(key)}: [`;
    for (let i = 0; i < count; i++) {
      buffer += (i === 0 ? '\n      ' : ',\n      ') + item(i);
      if (buffer.length >= FLUSH_AT) await flush();
    }
    buffer += count === 0 ? ']' : '\n    ]';
    buffer += last ? '\n' : ',\n';
  };

  const sorted = [...metrics].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (sorted.length === 0) buffer = '{}';
  else {
    buffer = '{\n';
    for (const [index, metric] of sorted.entries()) {
      buffer += `  ${encodePyString(metric.name)}: {\n`;
      await column('steps', metric.count, (i) => String(metric.step(i)), false);
      await column('timestamps', metric.count, (i) => `"${pyIsoformat(metric.time(i))}"`, false);
      await column(
        'values',
        metric.count,
        (i) => {
          const v = metric.value(i);
          if (v === null) return 'null';
          return metric.integer && Number.isInteger(v) ? String(v) : formatPyFloat(v);
        },
        true,
      );
      buffer += index === sorted.length - 1 ? '  }\n}' : '  },\n';
      points += metric.count;
    }
  }
  await flush();
  stream.end();
  await Promise.race([once(stream, 'finish'), failed]);
  return points;
}
