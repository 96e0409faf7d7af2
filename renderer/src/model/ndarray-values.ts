import { decodeBase64Bytes } from '../../../shared/base64-bytes';
import {
  binaryNdarray,
  decodeNdarrayBuffer,
  DEFAULT_MAX_VALUES,
  expectedByteLength,
} from '../../../shared/ndarray-buffer';
import type {
  NdarrayDecoded,
  NdarraySummary,
  NdValue,
  NestedValues,
} from '../../../shared/ndarray-buffer';
import { inflateZlib } from './inflate-zlib';

/** Arrays bigger than this once inflated are not decoded in the renderer. */
export const MAX_NDARRAY_BYTES = 50 * 1024 * 1024;

export interface LoadOptions {
  maxBytes?: number;
  maxValues?: number;
}

/** Whether a tree value is an ndarray whose values only a decode can show (> 16 elements). */
export function hasBinaryValues(value: unknown): boolean {
  return binaryNdarray(value) !== null;
}

/**
 * Decodes a binary ndarray node on demand: base64, zlib (asynchronously), then the buffer.
 * Never throws: a corrupt node, a dtype we cannot read or an array over the size cap comes
 * back as a problem with a sentence to show in place of the values.
 */
export async function loadNdarrayValues(
  value: unknown,
  options: LoadOptions = {},
): Promise<NdarrayDecoded> {
  const maxBytes = options.maxBytes ?? MAX_NDARRAY_BYTES;
  const maxValues = options.maxValues ?? DEFAULT_MAX_VALUES;
  try {
    const node = binaryNdarray(value);
    if (node === null) return { ok: false, message: 'not an array stored in binary form' };
    if ('ok' in node) return node;
    const stored = node.base ?? node;
    const expected = expectedByteLength(stored);
    if (typeof expected !== 'number') return expected;
    if (expected > maxBytes) {
      return {
        ok: false,
        message: `the values take ${Math.round(expected / (1024 * 1024))} MB, more than the ${Math.round(maxBytes / (1024 * 1024))} MB shown here`,
      };
    }
    const compressed = decodeBase64Bytes(node.data);
    if (compressed === null) return { ok: false, message: 'corrupt: the values are not base64' };
    const inflated = await inflateZlib(compressed, maxBytes);
    if (!inflated.ok) return inflated;
    if (node.base !== undefined) {
      // A view: the base must be whole before we read the view's elements out of it.
      const base = decodeNdarrayBuffer(inflated.bytes, node.base, 0);
      if (!base.ok) return { ok: false, message: `${base.message} (the viewed array)` };
    }
    const { base: _base, data: _data, ...layout } = node;
    return decodeNdarrayBuffer(inflated.bytes, layout, maxValues);
  } catch (error) {
    // Defensive: the decoders answer with problems, but a tree view must never crash.
    return { ok: false, message: `cannot show the values (${String(error)})` };
  }
}

function valueText(value: NdValue): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

function flatten(values: NestedValues, out: string[]): string[] {
  if (Array.isArray(values)) for (const item of values) flatten(item, out);
  else out.push(valueText(values));
  return out;
}

/**
 * The shown values as lines a user can scan: one line per innermost row, led by its index,
 * e.g. `[2] 0.5, 1.5, 2.5` for a matrix or `[0, 1] 4, 5` for a 3-d array; a 1-d array is
 * wrapped ten values to a line.
 */
export function ndarrayLines(values: NestedValues, shape: readonly number[]): string[] {
  if (!Array.isArray(values)) return [valueText(values)];
  if (shape.length <= 1) {
    const flat = flatten(values, []);
    const lines: string[] = [];
    for (let i = 0; i < flat.length; i += 10) {
      lines.push(`[${i}] ${flat.slice(i, i + 10).join(', ')}`);
    }
    return lines;
  }
  const lines: string[] = [];
  const walk = (level: NestedValues[], index: number[]): void => {
    if (index.length === shape.length - 1) {
      lines.push(`[${index.join(', ')}] ${flatten(level, []).join(', ')}`);
      return;
    }
    level.forEach((item, i) => walk(Array.isArray(item) ? item : [item], [...index, i]));
  };
  walk(values, []);
  return lines;
}

/** "1000 values · min 0 · max 9.5 · mean 4.75 · 2 NaN" */
export function summaryText(summary: NdarraySummary): string {
  const parts = [`${summary.count} value${summary.count === 1 ? '' : 's'}`];
  if (summary.min !== null) parts.push(`min ${valueText(summary.min)}`);
  if (summary.max !== null) parts.push(`max ${valueText(summary.max)}`);
  if (summary.mean !== null) parts.push(`mean ${String(summary.mean)}`);
  if (summary.nanCount > 0) parts.push(`${summary.nanCount} NaN`);
  return parts.join(' · ');
}
