import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { RunDetail } from '../../../../shared/contract';
import { errorMessage, useReportError } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { useLoader } from '../../hooks/use-loader';
import { formatBytes, formatMegabytes } from '../../model/format';
import { OutputHtmlStream, findMatches } from '../../model/output-stream';
import { partProblems } from '../../model/part-problems';
import { Checkbox } from '../common/Checkbox';
import { SearchInput } from '../run-table/SearchInput';

const DEFAULT_BYTES = 4 * 1024 * 1024;
const MAX_BYTES = 64 * 1024 * 1024;
const FOLLOW_EVERY_MS = 2000;
const MAX_MARKS = 5000;

/** Wraps every occurrence of the query in the text nodes under `root` in <mark>. */
function markMatches(root: HTMLElement, query: string): HTMLElement[] {
  const marks: HTMLElement[] = [];
  if (query === '') return marks;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    nodes.push(node as Text);
  }
  for (const node of nodes) {
    if (marks.length >= MAX_MARKS) break;
    const text = node.data;
    const ranges = findMatches(text, query, MAX_MARKS - marks.length);
    if (ranges.length === 0) continue;
    const fragment = document.createDocumentFragment();
    let at = 0;
    for (const [start, end] of ranges) {
      if (start > at) fragment.append(text.slice(at, start));
      const mark = document.createElement('mark');
      mark.className = 'output-match';
      mark.textContent = text.slice(start, end);
      fragment.append(mark);
      marks.push(mark);
      at = end;
    }
    if (at < text.length) fragment.append(text.slice(at));
    node.replaceWith(fragment);
  }
  return marks;
}

function clearMarks(root: HTMLElement): void {
  const marks = root.querySelectorAll('mark.output-match');
  if (marks.length === 0) return;
  for (const mark of marks) mark.replaceWith(mark.textContent ?? '');
  root.normalize();
}

/**
 * The run's stdout/stderr (its tail when long), colours kept and progress bars collapsed to
 * their last state; search with next/previous; for a RUNNING run, follow mode fetches only
 * the bytes written since the last fetch and appends them.
 */
export function OutputTab({ run }: { run: RunDetail }) {
  const api = useApi();
  const reportError = useReportError();
  const [maxBytes, setMaxBytes] = useState(DEFAULT_BYTES);
  const [reload, setReload] = useState(0);
  const loaded = useLoader(
    () => api.getCapturedOutput({ source: run.source, id: run.id, maxBytes }),
    [api, run.source, run.id, maxBytes, reload],
  );
  const canFollow = run.status === 'RUNNING' || run.status === 'QUEUED';
  const [follow, setFollow] = useState(canFollow);
  const [query, setQuery] = useState('');
  const [matchCount, setMatchCount] = useState(0);
  const [current, setCurrent] = useState(0);
  const [version, setVersion] = useState(0);
  const [bytes, setBytes] = useState({ shown: 0, total: 0 });
  const [appended, setAppended] = useState(0);

  const preRef = useRef<HTMLPreElement>(null);
  const doneRef = useRef<HTMLSpanElement>(null);
  const openRef = useRef<HTMLSpanElement>(null);
  const stream = useRef<OutputHtmlStream | null>(null);
  const offset = useRef(0);
  const marks = useRef<HTMLElement[]>([]);

  const render = useCallback((text: string, reset: boolean): void => {
    const done = doneRef.current;
    const open = openRef.current;
    if (done === null || open === null) return;
    if (reset || stream.current === null) {
      stream.current = new OutputHtmlStream();
      done.innerHTML = '';
    }
    const html = stream.current.append(text);
    if (html.completedHtml !== '') done.insertAdjacentHTML('beforeend', html.completedHtml);
    open.innerHTML = html.openHtml;
    setVersion((n) => n + 1);
  }, []);

  const jumpToEnd = useCallback(() => {
    const pre = preRef.current;
    if (pre !== null) pre.scrollTop = pre.scrollHeight;
  }, []);

  useLayoutEffect(() => {
    if (loaded.state !== 'done') return;
    render(loaded.data.text, true);
    offset.current = loaded.data.totalBytes;
    const shown = new TextEncoder().encode(loaded.data.text).length;
    setBytes({ shown, total: loaded.data.totalBytes });
    if (canFollow) jumpToEnd();
  }, [loaded, render, canFollow, jumpToEnd]);

  // Follow: poll for the bytes after the last offset and append them.
  useEffect(() => {
    if (!follow || !canFollow || loaded.state !== 'done') return undefined;
    let busy = false;
    let alive = true;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      api
        .getCapturedOutput({ source: run.source, id: run.id, fromByte: offset.current })
        .then(
          (next) => {
            if (!alive) return;
            if (next.totalBytes < offset.current) {
              // Rewritten from the start (Sacred < 0.7.5 rewrites cout.txt): read it again.
              setReload((n) => n + 1);
              return;
            }
            if (next.text === '' && !next.truncated) return;
            const gap = next.truncated ? '\n[… part of the output was skipped …]\n' : '';
            render(gap + next.text, false);
            const added = new TextEncoder().encode(next.text).length;
            offset.current = next.totalBytes;
            setBytes((b) => ({ shown: b.shown + added, total: next.totalBytes }));
            setAppended((n) => n + added);
            jumpToEnd();
          },
          (error: unknown) => {
            if (alive) reportError(error);
          },
        )
        .finally(() => {
          busy = false;
        });
    }, FOLLOW_EVERY_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [follow, canFollow, loaded.state, api, run.source, run.id, render, jumpToEnd, reportError]);

  // Search: mark every match (after each append too) and keep the current one in view.
  useEffect(() => {
    const pre = preRef.current;
    if (pre === null) return undefined;
    const timer = setTimeout(() => {
      clearMarks(pre);
      marks.current = markMatches(pre, query.trim());
      setMatchCount(marks.current.length);
      setCurrent((c) => (c < marks.current.length ? c : 0));
    }, 150);
    return () => clearTimeout(timer);
  }, [query, version]);

  useEffect(() => {
    marks.current.forEach((mark, index) => mark.classList.toggle('current', index === current));
    marks.current[current]?.scrollIntoView({ block: 'center' });
  }, [current, matchCount]);

  const step = (delta: number): void => {
    if (matchCount === 0) return;
    setCurrent((c) => (c + delta + matchCount) % matchCount);
  };
  const onSearchKey = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Enter') {
      event.preventDefault();
      step(event.shiftKey ? -1 : 1);
    }
  };

  if (loaded.state === 'error') {
    return (
      <div className="detail-error" role="alert">
        The captured output could not be loaded: {errorMessage(loaded.error)}
      </div>
    );
  }
  const output = loaded.state === 'done' ? loaded.data : null;
  const empty = bytes.shown === 0;
  return (
    <div className="output-tab">
      <div className="toolbar">
        <SearchInput
          placeholder="Search the output…"
          value={query}
          onChange={setQuery}
          onKeyDown={onSearchKey}
          label="Search the output"
          testId="output-search"
        />
        {query.trim() !== '' && (
          <>
            <span className="muted" data-testid="output-match-count">
              {matchCount === 0
                ? 'no match'
                : `${current + 1} of ${matchCount}${matchCount >= MAX_MARKS ? '+' : ''}`}
            </span>
            <button type="button" className="small" onClick={() => step(-1)} title="Shift+Enter">
              ↑ Previous
            </button>
            <button type="button" className="small" onClick={() => step(1)} title="Enter">
              ↓ Next
            </button>
          </>
        )}
        <span className="spacer" />
        {output !== null && output.truncated ? (
          <span className="notice">
            Showing the last {formatMegabytes(bytes.shown)} MB of {formatMegabytes(bytes.total)} MB.
            {maxBytes < MAX_BYTES && output.totalBytes > maxBytes && (
              <button type="button" className="link-button" onClick={() => setMaxBytes(MAX_BYTES)}>
                Load up to 64 MB
              </button>
            )}
          </span>
        ) : (
          <span className="muted">{empty ? '' : formatBytes(bytes.total)}</span>
        )}
        {canFollow && (
          <Checkbox
            checked={follow}
            onChange={setFollow}
            title="Fetch new output every 2 s and append it"
          >
            Follow
          </Checkbox>
        )}
        {follow && canFollow && appended > 0 && (
          <span className="muted" data-testid="output-appended">
            +{formatBytes(appended)}
          </span>
        )}
        <button type="button" className="small" onClick={jumpToEnd} data-testid="output-end">
          Jump to end
        </button>
        <button type="button" className="small" onClick={() => setReload((n) => n + 1)}>
          Refresh
        </button>
      </div>
      {loaded.state === 'loading' && <div className="loading">Loading captured output…</div>}
      {loaded.state === 'done' && empty && partProblems(run.warnings, 'output').length > 0 && (
        <div className="detail-error" role="alert" data-testid="output-unreadable">
          <strong>The captured output could not be read.</strong>{' '}
          {partProblems(run.warnings, 'output').join('; ')}
        </div>
      )}
      {loaded.state === 'done' && empty && partProblems(run.warnings, 'output').length === 0 && (
        <p className="muted">
          This run printed nothing{canFollow ? ' yet' : ''} (or its output was not captured).
        </p>
      )}
      {/* Filled through refs: old text is never redrawn when new text is appended. */}
      <pre
        className="captured-output"
        data-testid="captured-output"
        ref={preRef}
        hidden={loaded.state !== 'done' || empty}
      >
        <span ref={doneRef} />
        <span ref={openRef} />
      </pre>
    </div>
  );
}
