import { describe, expect, it } from 'vitest';
import type { FilterNode } from '../../shared/filter';
import { formatFilter, parseFilter } from '../../shared/filter';
import {
  columnConditions,
  conditionsFromDraft,
  draftFromConditions,
  emptyDraft,
  hasColumnFilter,
  regexProblem,
  setColumnConditions,
  valueFromInput,
} from '../../renderer/src/model/column-filter-edit';
import {
  chosenStatuses,
  deadChosen,
  toggleDeadChip,
  toggleStatusChip,
} from '../../renderer/src/model/status-chips';
import { andFilters, quickSearchFilter } from '../../renderer/src/model/quick-search';

function parse(text: string): FilterNode | null {
  const result = parseFilter(text);
  if (!result.ok) throw new Error(`${result.error.message} at ${result.error.position}`);
  return result.ast;
}

/** What the user sees after a popover edit: the tree in its text form. */
function popoverEdit(
  text: string,
  path: string[],
  type: Parameters<typeof draftFromConditions>[2],
  change: (draft: ReturnType<typeof draftFromConditions>) => void,
): string {
  const ast = parse(text);
  const { nodes, combine } = columnConditions(ast, path);
  const draft = draftFromConditions(nodes, combine, type);
  change(draft);
  return formatFilter(
    setColumnConditions(ast, path, conditionsFromDraft(draft, path, type), draft.combine),
  );
}

describe('column filter popover edits the filter text', () => {
  it('a number range becomes two comparisons and leaves other conditions in place', () => {
    const text = popoverEdit(
      'status = COMPLETED and host = gpu1',
      ['config', 'lr'],
      'number',
      (d) => {
        d.compares.push({ op: '>=', value: '0.001' }, { op: '<', value: '0.1' });
      },
    );
    expect(text).toBe(
      'status = COMPLETED and host = gpu1 and config.lr >= 0.001 and config.lr < 0.1',
    );
    // And reading it back gives the same popover.
    const { nodes, combine } = columnConditions(parse(text), ['config', 'lr']);
    expect(draftFromConditions(nodes, combine, 'number').compares).toEqual([
      { op: '>=', value: '0.001' },
      { op: '<', value: '0.1' },
    ]);
  });

  it('changing a condition typed in the text replaces it where it was', () => {
    const text = popoverEdit(
      'config.lr > 0.5 and status = FAILED',
      ['config', 'lr'],
      'number',
      (d) => {
        d.compares = [{ op: '<=', value: '0.2' }];
      },
    );
    expect(text).toBe('config.lr <= 0.2 and status = FAILED');
  });

  it('picked distinct values become = for one and in (...) for several', () => {
    const one = popoverEdit('', ['experiment'], 'string', (d) => {
      d.picked = ['mnist'];
    });
    expect(one).toBe('experiment = mnist');
    const several = popoverEdit(one, ['experiment'], 'string', (d) => {
      expect(d.picked).toEqual(['mnist']);
      d.picked.push('cifar 10');
    });
    expect(several).toBe('experiment in (mnist, "cifar 10")');
  });

  it('contains, regex, exists and booleans round-trip', () => {
    const text = popoverEdit('', ['config', 'model', 'name'], 'string', (d) => {
      d.contains = 'res';
      d.regex = '^res.*net$';
      d.presence = 'exists';
    });
    expect(text).toBe(
      'config.model.name exists and config.model.name contains res and config.model.name ~ "^res.*net$"',
    );
    const back = draftFromConditions(
      columnConditions(parse(text), ['config', 'model', 'name']).nodes,
      'and',
      'string',
    );
    expect(back).toMatchObject({ contains: 'res', regex: '^res.*net$', presence: 'exists' });
    expect(
      popoverEdit('', ['config', 'use_gpu'], 'bool', (d) => {
        d.bool = 'false';
      }),
    ).toBe('config.use_gpu = false');
  });

  it('keys with dots are kept as one segment', () => {
    const text = popoverEdit('', ['config', 'data.path'], 'string', (d) => {
      d.contains = 'imagenet';
    });
    expect(text).toBe('config."data.path" contains imagenet');
    expect(hasColumnFilter(parse(text), ['config', 'data.path'])).toBe(true);
    expect(hasColumnFilter(parse(text), ['config', 'data', 'path'])).toBe(false);
  });

  it('the OR toggle groups this column only', () => {
    const text = popoverEdit('status = COMPLETED', ['host'], 'string', (d) => {
      d.picked = ['a'];
      d.contains = 'gpu';
      d.combine = 'or';
    });
    expect(text).toBe('status = COMPLETED and (host = a or host contains gpu)');
    const { combine, nodes } = columnConditions(parse(text), ['host']);
    expect(combine).toBe('or');
    expect(nodes).toHaveLength(2);
  });

  it('dates compare as dates and list columns test their elements', () => {
    expect(
      popoverEdit('', ['start_time'], 'date', (d) => {
        d.compares = [
          { op: '>=', value: '2024-05-01' },
          { op: '<', value: 'not a date' },
        ];
      }),
    ).toBe('start_time >= 2024-05-01');
    expect(
      popoverEdit('', ['tags'], 'list', (d) => {
        d.contains = 'best';
      }),
    ).toBe('tags contains best');
    expect(
      popoverEdit('', ['config', 'layers'], 'list', (d) => {
        d.contains = '64';
      }),
    ).toBe('config.layers contains 64');
  });

  it('clearing removes only this column and conditions it cannot show are kept', () => {
    const ast = parse('config.lr > 1 and not config.lr = 3 and status = FAILED');
    expect(formatFilter(setColumnConditions(ast, ['config', 'lr'], []))).toBe('status = FAILED');
    const { nodes, combine } = columnConditions(ast, ['config', 'lr']);
    const draft = draftFromConditions(nodes, combine, 'number');
    expect(draft.other).toHaveLength(1);
    expect(
      formatFilter(
        setColumnConditions(
          ast,
          ['config', 'lr'],
          conditionsFromDraft(draft, ['config', 'lr'], 'number'),
        ),
      ),
    ).toBe('config.lr > 1 and not config.lr = 3 and status = FAILED');
  });

  it('a filter that is an OR of several columns is not taken apart', () => {
    const ast = parse('host = a or status = FAILED');
    expect(columnConditions(ast, ['host']).nodes).toEqual([]);
    const edited = setColumnConditions(ast, ['host'], [{ type: 'exists', path: ['host'] }]);
    expect(formatFilter(edited)).toBe('(host = a or status = FAILED) and host exists');
  });

  it('an empty draft gives no condition, and bad numbers are skipped', () => {
    expect(conditionsFromDraft(emptyDraft, ['config', 'lr'], 'number')).toEqual([]);
    expect(valueFromInput('abc', 'number')).toBeNull();
    expect(valueFromInput('1e-3', 'number')).toEqual({ type: 'number', value: 0.001 });
    expect(valueFromInput('abc', 'mixed')).toEqual({ type: 'string', value: 'abc' });
    expect(regexProblem('(')).not.toBeNull();
    expect(regexProblem('a+')).toBeNull();
  });
});

describe('status chips', () => {
  it('add and remove statuses in one status condition', () => {
    let ast = parse('config.lr > 1');
    ast = toggleStatusChip(ast, 'COMPLETED');
    expect(formatFilter(ast)).toBe('config.lr > 1 and status = COMPLETED');
    ast = toggleStatusChip(ast, 'RUNNING');
    expect(formatFilter(ast)).toBe('config.lr > 1 and status in (COMPLETED, RUNNING)');
    expect(chosenStatuses(ast)).toEqual(['COMPLETED', 'RUNNING']);
    ast = toggleStatusChip(toggleStatusChip(ast, 'COMPLETED'), 'RUNNING');
    expect(formatFilter(ast)).toBe('config.lr > 1');
  });

  it('read a status typed in the text and toggle probably dead', () => {
    expect(chosenStatuses(parse('status in (FAILED, TIMEOUT)'))).toEqual(['FAILED', 'TIMEOUT']);
    // Statuses match in any case: a typed `completed` lights the COMPLETED chip.
    expect(chosenStatuses(parse('status = completed'))).toEqual(['COMPLETED']);
    expect(chosenStatuses(parse('status in (failed, Preempted)'))).toEqual(['FAILED', 'Preempted']);
    expect(formatFilter(toggleStatusChip(parse('status = completed'), 'COMPLETED'))).toBe('');
    expect(chosenStatuses(parse('status != FAILED'))).toEqual([]);
    const dead = toggleDeadChip(null);
    expect(formatFilter(dead)).toBe('dead = true');
    expect(deadChosen(dead)).toBe(true);
    expect(toggleDeadChip(dead)).toBeNull();
  });
});

describe('quick search', () => {
  it('searches the free text, id, status, source and info.notes, and joins the filter', () => {
    expect(quickSearchFilter('  ')).toBeNull();
    const node = quickSearchFilter('UNREADABLE');
    expect(formatFilter(node)).toBe(
      '"UNREADABLE" or id contains UNREADABLE or status contains UNREADABLE or source contains UNREADABLE' +
        ' or info.notes contains UNREADABLE',
    );
    const both = andFilters(parse('config.lr > 1'), node);
    expect(formatFilter(both)).toMatch(/^config\.lr > 1 and \("UNREADABLE" or /u);
    expect(parseFilter(formatFilter(both)).ok).toBe(true);
  });
});
