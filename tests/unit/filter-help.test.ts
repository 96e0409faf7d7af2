import { describe, expect, it } from 'vitest';
import type { ColumnInfo } from '../../shared/contract';
import {
  applyCompletion,
  completionContext,
  parseFilter,
  suggestFilterFix,
} from '../../shared/filter';
import {
  columnSuggestions,
  connectorSuggestions,
  fixedValueSuggestions,
  fixedValues,
  operatorSuggestions,
  valueSuggestions,
} from '../../renderer/src/model/filter-suggestions';

function contextAtEnd(text: string) {
  return completionContext(text, text.length);
}

function fixOf(text: string, known: string[] = []) {
  const parsed = parseFilter(text);
  if (parsed.ok) throw new Error(`"${text}" parses`);
  return suggestFilterFix(text, parsed.error, known);
}

describe('what the word at the caret is', () => {
  it('a column at the start, after "(", and, or, not', () => {
    expect(contextAtEnd('')).toMatchObject({ kind: 'column', prefix: '' });
    expect(contextAtEnd('ta')).toMatchObject({ kind: 'column', prefix: 'ta', from: 0, to: 2 });
    expect(contextAtEnd('status = FAILED and con')).toMatchObject({
      kind: 'column',
      prefix: 'con',
    });
    expect(contextAtEnd('(config.a = 1 or not metr')).toMatchObject({
      kind: 'column',
      prefix: 'metr',
    });
  });

  it('an operator after a column and a space', () => {
    expect(contextAtEnd('config.tau ')).toMatchObject({
      kind: 'operator',
      path: ['config', 'tau'],
    });
    expect(contextAtEnd('metrics."train.loss".last co')).toMatchObject({
      kind: 'operator',
      prefix: 'co',
      path: ['metrics', 'train.loss', 'last'],
    });
  });

  it('a value after an operator, also inside in ( … )', () => {
    expect(contextAtEnd('status = ')).toMatchObject({ kind: 'value', path: ['status'] });
    expect(contextAtEnd('status=COMP')).toMatchObject({ kind: 'value', prefix: 'COMP' });
    expect(contextAtEnd('experiment in (train, "ev')).toMatchObject({
      kind: 'value',
      prefix: 'ev',
      path: ['experiment'],
    });
    expect(contextAtEnd('config.opt.name contains ad')).toMatchObject({
      kind: 'value',
      path: ['config', 'opt', 'name'],
    });
  });

  it('"and"/"or" after a whole condition, whatever the value looks like', () => {
    expect(contextAtEnd('status = COMPLETED ')).toMatchObject({ kind: 'connector' });
    expect(contextAtEnd('config.tau > 1 a')).toMatchObject({ kind: 'connector', prefix: 'a' });
    expect(contextAtEnd('config.x exists ')).toMatchObject({ kind: 'connector' });
  });

  it('the caret in the middle replaces the whole word under it', () => {
    const text = 'confi > 1';
    const context = completionContext(text, 3);
    expect(context).toMatchObject({ kind: 'column', prefix: 'con', from: 0, to: 5 });
    expect(applyCompletion(text, context, 'config.tau')).toEqual({
      text: 'config.tau > 1',
      caret: 10,
    });
  });

  it('a chosen suggestion is followed by a space, an opened list is not', () => {
    expect(applyCompletion('sta', { from: 0, to: 3 }, 'status')).toEqual({
      text: 'status ',
      caret: 7,
    });
    expect(applyCompletion('status ', { from: 7, to: 7 }, 'in (')).toEqual({
      text: 'status in (',
      caret: 11,
    });
  });
});

describe('the fix an error offers', () => {
  it('a bare key is a config key: tau > 1 → config.tau', () => {
    expect(fixOf('tau > 1')).toEqual({
      message: 'did you mean config.tau?',
      text: 'config.tau > 1',
      column: 'config.tau',
    });
  });

  it('a bare key the runs hold under info (or as a metric) goes there', () => {
    expect(fixOf('status = COMPLETED and gpu = a100', ['info.gpu'])?.text).toBe(
      'status = COMPLETED and info.gpu = a100',
    );
    expect(fixOf('loss < 1', ['metrics.loss.last'])?.text).toBe('metrics.loss.last < 1');
  });

  it('a dotted metric name is quoted: metrics.train.loss.last → metrics."train.loss".last', () => {
    const fix = fixOf('metrics.train.loss.last < 0.2');
    expect(fix?.text).toBe('metrics."train.loss".last < 0.2');
    expect(fix?.message).toBe('did you mean metrics."train.loss".last?');
    // The fixed text parses.
    expect(parseFilter(fix?.text ?? '').ok).toBe(true);
  });

  it('a metric without its summary gets .last', () => {
    expect(fixOf('metrics.loss < 1')?.text).toBe('metrics.loss.last < 1');
    expect(fixOf('metrics.train.loss < 1')?.text).toBe('metrics."train.loss".last < 1');
  });

  it('offers no fix for errors it has no good guess for', () => {
    expect(fixOf('status = ')).toBeNull();
    expect(fixOf('config.tau >')).toBeNull();
    expect(fixOf('(status = FAILED')).toBeNull();
  });
});

function info(id: string, path: string[], group: ColumnInfo['group']): ColumnInfo {
  return {
    id,
    path,
    group,
    type: 'number',
    distinct: 3,
    distinctCapped: false,
    present: 10,
    suggested: false,
    label: null,
  };
}

describe('suggestions', () => {
  const catalog = [
    info('status', ['status'], 'builtin'),
    info('config.tau', ['config', 'tau'], 'config'),
    info('config.optimizer.lr', ['config', 'optimizer', 'lr'], 'config'),
    info('metrics."train.loss".last', ['metrics', 'train.loss', 'last'], 'metrics'),
    info('metrics."train.loss".min', ['metrics', 'train.loss', 'min'], 'metrics'),
    info('info.gpu', ['info', 'gpu'], 'info'),
  ];

  it('columns by id, by a key after the root, by the plain dotted path', () => {
    expect(columnSuggestions('config.t', catalog).map((s) => s.insert)).toEqual(['config.tau']);
    expect(columnSuggestions('tau', catalog).map((s) => s.insert)).toEqual(['config.tau']);
    expect(columnSuggestions('lr', catalog).map((s) => s.insert)).toEqual(['config.optimizer.lr']);
    const metric = columnSuggestions('metrics.train.l', catalog);
    expect(metric.map((s) => s.insert)).toEqual([
      'metrics."train.loss".last',
      'metrics."train.loss".min',
    ]);
    expect(metric[0]?.detail).toMatch(/last of metric train\.loss/u);
    expect(columnSuggestions('nothing-like-it', catalog)).toEqual([]);
  });

  it('built-ins before the catalog has come', () => {
    expect(columnSuggestions('sta', null).map((s) => s.insert)).toEqual(['status', 'start_time']);
  });

  it('operators fit the column type', () => {
    const text = operatorSuggestions('', 'string').map((s) => s.insert);
    expect(text).toContain('contains');
    expect(text).not.toContain('>');
    expect(operatorSuggestions('', 'number').map((s) => s.insert)).toContain('>=');
    expect(operatorSuggestions('ex', 'number').map((s) => s.insert)).toEqual(['exists']);
  });

  it('values: statuses known, others quoted as the filter needs', () => {
    expect(fixedValues(['status'])).toContain('COMPLETED');
    expect(fixedValues(['config', 'tau'])).toBeNull();
    expect(fixedValueSuggestions('co', fixedValues(['status']) ?? []).map((s) => s.insert)).toEqual(
      ['COMPLETED'],
    );
    const values = valueSuggestions('', [
      { value: 'train', count: 4 },
      { value: 'my exp', count: 2 },
      { value: 2, count: 1 },
      { value: { nested: true }, count: 1 },
    ]);
    expect(values.map((s) => s.insert)).toEqual(['train', '"my exp"', '2']);
    expect(values[0]?.detail).toBe('4 runs');
    expect(valueSuggestions('EXP', [{ value: 'my exp', count: 2 }])).toHaveLength(1);
  });

  it('and/or after a condition, not once fully typed', () => {
    expect(connectorSuggestions('').map((s) => s.insert)).toEqual(['and', 'or']);
    expect(connectorSuggestions('o').map((s) => s.insert)).toEqual(['or']);
    expect(connectorSuggestions('and')).toEqual([]);
  });
});
