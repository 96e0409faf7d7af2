import { describe, expect, it } from 'vitest';
import {
  NO_VALUE_COLOUR,
  VIRIDIS,
  colourScale,
  viridis,
} from '../../renderer/src/model/colour-scale';
import {
  MAX_REMEMBERED,
  PLOT_PREFS_KEY,
  loadMetricPrefs,
  saveMetricPrefs,
} from '../../renderer/src/model/plot-preferences';
import type { PrefsStorage } from '../../renderer/src/model/plot-preferences';
import { RUN_COLOURS } from '../../renderer/src/model/plot-traces';
import { preferredColourIndex, runColours } from '../../renderer/src/model/run-colours';
import { differenceLabels } from '../../renderer/src/model/run-labels';

function run(id: string, config: Record<string, unknown>, source = 'lab') {
  return { key: `${source}\u0000${id}`, source, id, config: config as never };
}

describe('runs named by what differs', () => {
  it('names the swept keys with their values, not the seed nor the constants', () => {
    const runs = [
      run('9', { tau: 2, N: 1000, seed: 11, lr: 0.1 }),
      run('10', { tau: 1, N: 1000, seed: 12, lr: 0.1 }),
      run('11', { tau: 2, N: 100, seed: 13, lr: 0.1 }),
      run('12', { tau: 1, N: 100, seed: 14, lr: 0.1 }),
    ];
    const labels = differenceLabels(runs, 2);
    expect(labels.get(runs[0]!.key)).toBe('tau=2 N=1000');
    expect(labels.get(runs[3]!.key)).toBe('tau=1 N=100');
  });

  it('runs the keys cannot tell apart keep their id; a lone run is its id', () => {
    const runs = [
      run('1', { tau: 1, opt: { name: 'adam' } }),
      run('2', { tau: 1, opt: { name: 'adam' } }),
      run('3', { tau: 2, opt: { name: 'adam' } }),
    ];
    const labels = differenceLabels(runs);
    expect(labels.get(runs[0]!.key)).toBe('tau=1 #1');
    expect(labels.get(runs[1]!.key)).toBe('tau=1 #2');
    expect(labels.get(runs[2]!.key)).toBe('tau=2');
    expect(differenceLabels([runs[0]!]).get(runs[0]!.key)).toBe('#1');
  });

  it('keys sharing a last segment are named in full; several sources name the source', () => {
    const runs = [
      run('1', { enc: { depth: 1 }, dec: { depth: 2 } }, 'a'),
      run('1', { enc: { depth: 3 }, dec: { depth: 4 } }, 'b'),
    ];
    const labels = differenceLabels(runs);
    expect(labels.get(runs[0]!.key)).toBe('enc.depth=1 dec.depth=2');
    const same = [run('1', { x: 1 }, 'a'), run('1', { x: 1 }, 'b')];
    expect([...differenceLabels(same).values()]).toEqual(['a/1', 'b/1']);
  });
});

describe('a run keeps its colour', () => {
  const keys = ['lab\u00001', 'lab\u00002', 'lab\u00003', 'db\u0000abc'];

  it('the same colour whatever the order or the screen', () => {
    const a = runColours(keys);
    const b = runColours([...keys].reverse());
    expect([...a].sort()).toEqual([...b].sort());
    for (const colour of a.values()) expect(RUN_COLOURS).toContain(colour);
  });

  it('a run alone wears its own colour, the hash of its identity', () => {
    for (const key of keys) {
      expect(runColours([key]).get(key)).toBe(RUN_COLOURS[preferredColourIndex(key)]);
    }
  });

  it('two runs of one plot never share a colour while the palette lasts', () => {
    const many = Array.from({ length: RUN_COLOURS.length }, (_, i) => `lab\u0000${i}`);
    expect(new Set(runColours(many).values()).size).toBe(RUN_COLOURS.length);
    const more = [...many, 'lab\u0000extra'];
    expect(runColours(more).size).toBe(more.length);
  });
});

function memoryStorage(): PrefsStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
  };
}

describe('log y and smoothing per metric', () => {
  it('remembers each plotted metric and nothing for the others', () => {
    const storage = memoryStorage();
    expect(loadMetricPrefs(storage, 'loss')).toBeNull();
    saveMetricPrefs(storage, ['loss', 'train.loss'], { logY: true, smoothing: 0.6 });
    expect(loadMetricPrefs(storage, 'train.loss')).toEqual({ logY: true, smoothing: 0.6 });
    expect(loadMetricPrefs(storage, 'acc')).toBeNull();
    saveMetricPrefs(storage, ['loss'], { logY: false, smoothing: 0 });
    expect(loadMetricPrefs(storage, 'loss')).toEqual({ logY: false, smoothing: 0 });
    expect(loadMetricPrefs(storage, 'train.loss')).toEqual({ logY: true, smoothing: 0.6 });
  });

  it('ignores a corrupt or foreign stored value and refuses nonsense', () => {
    const storage = memoryStorage();
    storage.data.set(PLOT_PREFS_KEY, '{not json');
    expect(loadMetricPrefs(storage, 'loss')).toBeNull();
    storage.data.set(PLOT_PREFS_KEY, JSON.stringify([['loss', { logY: 'yes', smoothing: 2 }]]));
    expect(loadMetricPrefs(storage, 'loss')).toBeNull();
    saveMetricPrefs(storage, ['loss'], { logY: true, smoothing: Number.NaN });
    expect(loadMetricPrefs(storage, 'loss')).toBeNull();
  });

  it('forgets the least recently set metrics past the cap', () => {
    const storage = memoryStorage();
    for (let i = 0; i <= MAX_REMEMBERED; i++) {
      saveMetricPrefs(storage, [String(i)], { logY: true, smoothing: 0 });
    }
    expect(loadMetricPrefs(storage, '0')).toBeNull();
    expect(loadMetricPrefs(storage, '1')).not.toBeNull();
    expect(loadMetricPrefs(storage, String(MAX_REMEMBERED))).not.toBeNull();
  });
});

describe('the colour scale of parallel coordinates', () => {
  it('runs low to high from the first viridis stop to the last; no value is grey', () => {
    const scale = colourScale([3, Number.NaN, 1, 2]);
    expect(scale.domain).toEqual([1, 3]);
    expect(scale.colourOf(1)).toBe(VIRIDIS[0]);
    expect(scale.colourOf(3)).toBe(VIRIDIS[VIRIDIS.length - 1]);
    expect(scale.colourOf(2)).toBe(VIRIDIS[4]);
    expect(scale.colourOf(Number.NaN)).toBe(NO_VALUE_COLOUR);
    expect(colourScale([Number.NaN]).domain).toBeNull();
    expect(colourScale([5, 5]).colourOf(5)).toBe(viridis(0.5));
  });
});
