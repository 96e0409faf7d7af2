import type { SeededRandom } from './seeded-random';

export interface OutputInput {
  experiment: string;
  runId: string;
  command: string;
  status: string;
  durationS: number;
  failTrace: string[] | null;
  /** Roughly how many bytes to produce (lognormal, drawn by the caller). */
  targetBytes: number;
}

const ansi = {
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  red: '\x1b[31m',
  bold: '\x1b[1m',
  reset: '\x1b[0m',
};

function elapsed(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

function progressBar(done: number, total: number, rate: number): string {
  const width = 10;
  const filled = Math.floor((done / total) * width);
  const bar =
    '█'.repeat(filled) + (filled < width ? '▌' : '') + ' '.repeat(Math.max(0, width - filled - 1));
  const pct = String(Math.floor((done / total) * 100)).padStart(3, ' ');
  return `${pct}%|${bar}| ${done}/${total} [00:${String(done % 60).padStart(2, '0')}<00:12, ${rate.toFixed(2)}it/s]`;
}

/**
 * What a training script prints, as Sacred captures it (0.8.2+ keeps \r): logging lines,
 * tqdm bars redrawn with \r, ANSI colours, interleaved stderr warnings, a \b spinner and
 * a U+FFFD where a byte could not be decoded.
 */
export function generateCapturedOutput(rng: SeededRandom, input: OutputInput): string {
  const parts: string[] = [
    `INFO - ${input.experiment} - Running command '${input.command}'\n`,
    `INFO - ${input.experiment} - Started run with ID "${input.runId}"\n`,
  ];
  let size = parts.join('').length;
  let epoch = 0;
  while (size < input.targetBytes) {
    epoch++;
    const steps = rng.int(5, 40);
    let line = `Epoch ${epoch}: `;
    for (let s = 1; s <= steps; s++)
      line += `\rEpoch ${epoch}: ${progressBar(s, steps, rng.float(5, 40))}`;
    line += '\n';
    const loss = rng.float(0.05, 2).toFixed(4);
    line += `${ansi.green}INFO${ansi.reset} - epoch ${epoch} loss=${loss} acc=${rng.float(0.5, 0.99).toFixed(3)}\n`;
    if (rng.chance(0.1))
      line += `${ansi.yellow}WARNING${ansi.reset} - lr scheduler stepped before optimizer\n`;
    if (rng.chance(0.05)) {
      line +=
        '/opt/venv/lib/python3.10/site-packages/torch/utils/data/dataloader.py:557: UserWarning: This ';
      line += 'DataLoader will create 8 worker processes in total.\n  warnings.warn(\n';
    }
    if (rng.chance(0.05)) line += 'loading |\b/\b-\b\\\bdone\n';
    if (rng.chance(0.05)) line += `read label "caf\ufffd" from legacy file\n`;
    parts.push(line);
    size += line.length;
  }
  if (!parts.some((part) => part.includes('\ufffd')))
    parts.push('warning: skipped undecodable name "\ufffd\ufffdbc"\n');
  const took = elapsed(input.durationS);
  switch (input.status) {
    case 'COMPLETED':
      parts.push(`INFO - ${input.experiment} - Result: ${rng.float(0, 1).toFixed(4)}\n`);
      parts.push(`INFO - ${input.experiment} - Completed after ${took}\n`);
      break;
    case 'FAILED':
      parts.push(
        `${ansi.red}${ansi.bold}ERROR - ${input.experiment} - Failed after ${took}!${ansi.reset}\n`,
      );
      parts.push(...(input.failTrace ?? []));
      break;
    case 'RUNNING':
      break;
    default:
      parts.push(`WARNING - ${input.experiment} - Aborted after ${took}!\n`);
  }
  return parts.join('');
}
