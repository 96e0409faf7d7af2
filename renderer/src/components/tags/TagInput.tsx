import { useId, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useCombobox } from 'downshift';
import type { TagCount } from '../../model/tag-list';
import { cleanTag, tagProblem, tagSuggestions } from '../../model/tag-list';

interface Props {
  /** The tags the source already uses (autocomplete), most used first. */
  known: readonly TagCount[];
  /** Tags already on the run(s): not offered again. */
  present: readonly string[];
  onAdd: (tag: string) => void;
  disabled?: boolean;
  autoFocus?: boolean;
  label?: string;
  placeholder?: string;
  testId?: string;
}

/**
 * A text field that adds one tag at a time: Enter adds what is typed or the highlighted
 * suggestion; ↓/↑ walk the source's existing tags that match (downshift's combobox, so screen
 * readers hear the list as one).
 */
export function TagInput({
  known,
  present,
  onAdd,
  disabled = false,
  autoFocus = false,
  label = 'Add a tag',
  placeholder = 'Add a tag…',
  testId = 'tag-input',
}: Props) {
  // What is typed, for the suggestions only: downshift owns the field's value. (Controlling it
  // from onInputValueChange, which runs a render late, dropped keys typed quickly.)
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const problemId = useId();
  const items = tagSuggestions(known, text, present);

  function add(typed: string): void {
    const why = tagProblem(typed, present);
    if (why !== null) {
      setProblem(why);
      return;
    }
    const tag = cleanTag(typed);
    if (tag === null) return;
    setProblem(null);
    onAdd(tag);
  }

  const combobox = useCombobox<TagCount>({
    items,
    selectedItem: null,
    itemToString: (item) => item?.tag ?? '',
    onInputValueChange: ({ inputValue }) => {
      setText(inputValue);
      setProblem(null);
    },
    onSelectedItemChange: ({ selectedItem }) => {
      if (selectedItem !== null && selectedItem !== undefined) add(selectedItem.tag);
    },
    stateReducer: (state, { type, changes }) => {
      if (
        type === useCombobox.stateChangeTypes.InputKeyDownEnter ||
        type === useCombobox.stateChangeTypes.ItemClick
      ) {
        // The picked tag is added (onSelectedItemChange): the field empties for the next one.
        return { ...changes, isOpen: true, highlightedIndex: -1, inputValue: '' };
      }
      return changes;
    },
  });
  const {
    isOpen,
    highlightedIndex,
    inputValue,
    setInputValue,
    getInputProps,
    getMenuProps,
    getItemProps,
    getLabelProps,
  } = combobox;

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Enter' && (highlightedIndex < 0 || !isOpen || items.length === 0)) {
      // Nothing highlighted: the typed text is the tag (a new one, or one not suggested).
      event.preventDefault();
      (
        event.nativeEvent as KeyboardEvent['nativeEvent'] & { preventDownshiftDefault?: boolean }
      ).preventDownshiftDefault = true;
      const addable = tagProblem(inputValue, present) === null;
      add(inputValue);
      if (addable) setInputValue('');
    }
  };

  return (
    <div className="tag-input">
      <label className="visually-hidden" {...getLabelProps()}>
        {label}
      </label>
      <input
        {...getInputProps({
          onKeyDown,
          disabled,
          autoFocus,
          placeholder,
          'aria-describedby': problem === null ? undefined : problemId,
          'aria-invalid': problem !== null,
        })}
        className="tag-input-field"
        data-testid={testId}
      />
      <ul
        {...getMenuProps()}
        className={`tag-suggestions popover${isOpen && items.length > 0 ? '' : ' hidden'}`}
        data-testid="tag-suggestions"
      >
        {isOpen &&
          items.map((item, index) => (
            <li
              key={item.tag}
              {...getItemProps({ item, index })}
              className={`tag-suggestion${highlightedIndex === index ? ' highlighted' : ''}`}
              data-testid="tag-suggestion"
            >
              <span className="tag-suggestion-name">{item.tag}</span>
              <span className="muted tag-suggestion-count">
                {item.runs} {item.runs === 1 ? 'run' : 'runs'}
              </span>
            </li>
          ))}
      </ul>
      {problem !== null && (
        <div className="tag-input-problem" id={problemId} role="alert">
          {problem}
        </div>
      )}
    </div>
  );
}
