import type { JsonObject, JsonValue, View } from '../../../shared/contract';
import { DEFAULT_COLUMNS, DEFAULT_SORT } from '../../../shared/filter';
import type { ColumnLayout, SortKey } from './column-layout';
import { makeLayout } from './column-layout';

/** What a saved view restores: the table's columns, sort, filter text and sources. */
export interface TableState {
  layout: ColumnLayout;
  sort: SortKey[];
  filterText: string;
  /** null: every source. */
  sources: string[] | null;
}

export const defaultTableState: TableState = {
  layout: makeLayout([...DEFAULT_COLUMNS]),
  sort: DEFAULT_SORT.map((key) => ({ column: key.column, desc: key.desc })),
  filterText: '',
  sources: null,
};

function numberRecord(value: JsonValue | undefined): Record<string, number> {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) {
    return {};
  }
  const out: Record<string, number> = {};
  for (const [key, width] of Object.entries(value)) {
    if (typeof width === 'number' && Number.isFinite(width)) out[key] = width;
  }
  return out;
}

function stringList(value: JsonValue | undefined): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

/**
 * The table state a view describes. Sources that no longer exist are left out (none left:
 * every source); a view without columns gets the default ones. The layout JSON is the UI's
 * own and may come from an older version, so anything unexpected in it is ignored.
 */
export function stateFromView(view: View, knownSources: readonly string[]): TableState {
  const columns = view.columns.length > 0 ? view.columns : [...DEFAULT_COLUMNS];
  const sources =
    view.sources === null ? null : view.sources.filter((name) => knownSources.includes(name));
  return {
    layout: makeLayout(columns, numberRecord(view.layout.widths), stringList(view.layout.pinned)),
    sort: view.sort.map((key) => ({ column: key.column, desc: key.desc ?? false })),
    filterText: view.filter,
    sources: sources === null || sources.length === 0 ? null : sources,
  };
}

/** The saveView fields for a table state (without id, name and default flag). */
export function viewFieldsFromState(state: TableState): {
  columns: string[];
  filter: string;
  sort: { column: string; desc: boolean }[];
  sources: string[] | null;
  layout: JsonObject;
} {
  const widths: JsonObject = {};
  for (const id of state.layout.columns) {
    const width = state.layout.widths[id];
    if (width !== undefined) widths[id] = width;
  }
  return {
    columns: [...state.layout.columns],
    filter: state.filterText.trim(),
    sort: state.sort.map((key) => ({ column: key.column, desc: key.desc })),
    sources: state.sources === null ? null : [...state.sources],
    layout: { widths, pinned: [...state.layout.pinned] },
  };
}

/** Whether the table differs from what the view saved (the selector shows "modified"). */
export function differsFromView(
  state: TableState,
  view: View,
  knownSources: readonly string[],
): boolean {
  const a = viewFieldsFromState(state);
  const b = viewFieldsFromState(stateFromView(view, knownSources));
  return JSON.stringify(a) !== JSON.stringify(b);
}
