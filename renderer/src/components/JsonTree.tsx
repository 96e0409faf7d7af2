import { useMemo, useState } from 'react';
import { JsonView, allExpanded, defaultStyles } from 'react-json-view-lite';
import { decodeJsonpickleTree } from '../../../shared/jsonpickle';
import { filterTree } from '../model/filter-tree';
import { Checkbox } from './Checkbox';
import { SearchInput } from './SearchInput';

interface Props {
  data: unknown;
  /** Show a search box filtering leaves by path. */
  searchable?: boolean;
  testId?: string;
  emptyText?: string;
}

const styles = {
  ...defaultStyles,
  container: `${defaultStyles.container} json-tree-container`,
  otherValue: 'json-decoded-value',
};

/**
 * A decoded jsonpickle value. react-json-view-lite prints a Date leaf with toISOString() in its
 * "other value" style, which is the one way to show it unquoted and apart from real strings.
 */
class DecodedValue extends Date {
  constructor(private readonly text: string) {
    super(0);
  }

  override toISOString(): string {
    return this.text;
  }

  override toString(): string {
    return this.text;
  }
}

const wrapDecoded = (description: string): unknown => new DecodedValue(description);

/** A collapsible JSON tree with jsonpickle nodes shown decoded (raw JSON one click away). */
export function JsonTree({
  data,
  searchable = false,
  testId,
  emptyText = 'Nothing recorded.',
}: Props) {
  const [query, setQuery] = useState('');
  const [raw, setRaw] = useState(false);
  const shown = useMemo(() => {
    const decoded = raw ? data : decodeJsonpickleTree(data, wrapDecoded);
    return filterTree(decoded, query);
  }, [data, raw, query]);

  const isEmpty =
    data === null ||
    data === undefined ||
    (typeof data === 'object' && Object.keys(data).length === 0);
  const tree =
    shown !== null && typeof shown === 'object'
      ? shown
      : shown === undefined
        ? undefined
        : { value: shown };

  return (
    <div className="json-tree" data-testid={testId}>
      {!isEmpty && (
        <div className="json-tree-toolbar">
          {searchable && (
            <SearchInput
              placeholder="Search keys (e.g. optimizer.lr)…"
              value={query}
              onChange={setQuery}
              label="Search keys"
            />
          )}
          <Checkbox
            checked={raw}
            onChange={setRaw}
            title="Show Python objects as jsonpickle stored them"
          >
            Raw jsonpickle
          </Checkbox>
        </div>
      )}
      {isEmpty ? (
        <p className="muted">{emptyText}</p>
      ) : tree === undefined ? (
        <p className="muted">No key matches “{query}”.</p>
      ) : (
        <JsonView
          data={tree}
          style={styles}
          shouldExpandNode={query.trim() !== '' ? allExpanded : (level) => level < 3}
        />
      )}
    </div>
  );
}
