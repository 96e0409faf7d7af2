import { useState } from 'react';
import type { View } from '../../../../shared/contract';
import { useApi } from '../../hooks/use-api';
import { useReportError } from '../../hooks/report-error-context';
import type { TableState } from '../../model/view-state';
import { viewFieldsFromState } from '../../model/view-state';

interface Props {
  views: readonly View[];
  currentId: string | null;
  /** The table differs from the selected view. */
  modified: boolean;
  state: TableState;
  /** The filter text cannot be saved (it does not parse). */
  invalid: boolean;
  onLoad: (view: View) => void;
  /** The list changed (saved, renamed, deleted); `current` is the view now selected. */
  onViewsChange: (views: View[], current: string | null) => void;
}

type Naming = { mode: 'save-as' | 'rename'; name: string } | null;

/** Saved views: pick one, save the table into it or a new one, rename, delete, set default. */
export function ViewSelector({
  views,
  currentId,
  modified,
  state,
  invalid,
  onLoad,
  onViewsChange,
}: Props) {
  const api = useApi();
  const reportError = useReportError();
  const [naming, setNaming] = useState<Naming>(null);
  const [busy, setBusy] = useState(false);
  const current = views.find((view) => view.id === currentId) ?? null;

  async function act(work: () => Promise<string | null>): Promise<void> {
    setBusy(true);
    try {
      const selected = await work();
      onViewsChange(await api.listViews({}), selected);
      setNaming(null);
    } catch (error) {
      reportError(error);
    } finally {
      setBusy(false);
    }
  }

  const save = (): Promise<void> =>
    act(async () => {
      if (current === null) return null;
      const saved = await api.saveView({
        id: current.id,
        name: current.name,
        isDefault: current.isDefault,
        ...viewFieldsFromState(state),
      });
      return saved.id;
    });

  const submitName = (): Promise<void> =>
    act(async () => {
      if (naming === null) return currentId;
      const name = naming.name.trim();
      if (naming.mode === 'rename' && current !== null) {
        return (await api.renameView({ id: current.id, name })).id;
      }
      return (await api.saveView({ name, ...viewFieldsFromState(state) })).id;
    });

  const remove = (): Promise<void> =>
    act(async () => {
      if (current === null) return null;
      if (!window.confirm(`Delete the view “${current.name}”?`)) return current.id;
      await api.deleteView({ id: current.id });
      return null;
    });

  const setDefault = (): Promise<void> =>
    act(async () => {
      if (current === null) return null;
      const saved = await api.saveView({
        id: current.id,
        name: current.name,
        isDefault: true,
        columns: [...current.columns],
        filter: current.filter,
        sort: current.sort.map((key) => ({ column: key.column, desc: key.desc ?? false })),
        sources: current.sources === null ? null : [...current.sources],
        layout: current.layout,
      });
      return saved.id;
    });

  return (
    <div className="view-selector">
      <select
        data-testid="view-select"
        aria-label="View"
        value={currentId ?? ''}
        disabled={busy}
        onChange={(event) => {
          const view = views.find((v) => v.id === event.target.value);
          if (view === undefined) return;
          // Opening another view replaces the table's columns, filter and sort: unsaved
          // edits would be lost without a word (the select stays put when declined).
          if (
            modified &&
            current !== null &&
            !window.confirm(
              `The view “${current.name}” has unsaved changes. Discard them and open “${view.name}”?`,
            )
          ) {
            return;
          }
          onLoad(view);
        }}
      >
        {currentId === null && <option value="">(unsaved view)</option>}
        {views.map((view) => (
          <option key={view.id} value={view.id}>
            {view.name}
            {view.isDefault ? ' ★' : ''}
            {view.id === currentId && modified ? ' (modified)' : ''}
          </option>
        ))}
      </select>
      {naming === null ? (
        <>
          <button
            type="button"
            data-testid="view-save"
            disabled={busy || current === null || !modified || invalid}
            title={invalid ? 'Fix the filter first' : 'Save the table into this view'}
            onClick={() => void save()}
          >
            Save
          </button>
          <button
            type="button"
            data-testid="view-save-as"
            disabled={busy || invalid}
            onClick={() => setNaming({ mode: 'save-as', name: '' })}
          >
            Save as…
          </button>
          <button
            type="button"
            data-testid="view-rename"
            disabled={busy || current === null}
            onClick={() => setNaming({ mode: 'rename', name: current?.name ?? '' })}
          >
            Rename
          </button>
          <button
            type="button"
            data-testid="view-delete"
            disabled={busy || current === null}
            onClick={() => void remove()}
          >
            Delete
          </button>
          <button
            type="button"
            data-testid="view-set-default"
            disabled={busy || current === null || current.isDefault}
            title="Open this view when the app starts"
            onClick={() => void setDefault()}
          >
            Set default
          </button>
        </>
      ) : (
        <form
          className="view-naming"
          onSubmit={(event) => {
            event.preventDefault();
            if (naming.name.trim() !== '') void submitName();
          }}
        >
          <input
            autoFocus
            data-testid="view-name-input"
            aria-label={naming.mode === 'rename' ? 'New name' : 'View name'}
            placeholder="View name"
            maxLength={128}
            value={naming.name}
            onChange={(event) => setNaming({ ...naming, name: event.target.value })}
            onKeyDown={(event) => {
              if (event.key === 'Escape') setNaming(null);
            }}
          />
          <button
            type="submit"
            className="primary"
            data-testid="view-name-ok"
            disabled={busy || naming.name.trim() === ''}
          >
            {naming.mode === 'rename' ? 'Rename' : 'Save'}
          </button>
          <button type="button" onClick={() => setNaming(null)}>
            Cancel
          </button>
        </form>
      )}
    </div>
  );
}
