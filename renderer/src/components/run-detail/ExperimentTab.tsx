import { useState } from 'react';
import type { JsonValue, RunDetail } from '../../../../shared/contract';
import { SourceFileView } from './SourceFileView';

interface Repository {
  url: string;
  commit: string;
  dirty: boolean | null;
}

function asString(value: JsonValue | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

/** Sacred records one repository entry per source file; show each repository once. */
function repositoriesOf(value: JsonValue | undefined): Repository[] {
  if (!Array.isArray(value)) return [];
  const seen = new Map<string, Repository>();
  for (const item of value) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
    const repo: Repository = {
      url: asString(item.url) ?? '?',
      commit: asString(item.commit) ?? '?',
      dirty: typeof item.dirty === 'boolean' ? item.dirty : null,
    };
    seen.set(`${repo.url}@${repo.commit}@${String(repo.dirty)}`, repo);
  }
  return [...seen.values()];
}

/** What code ran: dependencies, repositories and the stored source files. */
export function ExperimentTab({ run }: { run: RunDetail }) {
  const [openFile, setOpenFile] = useState<string | null>(null);
  const info = run.experimentInfo;
  const dependencies = Array.isArray(info.dependencies)
    ? info.dependencies.filter((d) => typeof d === 'string')
    : [];
  const repositories = repositoriesOf(info.repositories);

  return (
    <div className="experiment-tab">
      <dl className="facts">
        <dt>Name</dt>
        <dd>{asString(info.name) ?? run.experiment ?? '—'}</dd>
        <dt>Main file</dt>
        <dd>
          <code>{asString(info.mainfile) ?? '—'}</code>
        </dd>
        <dt>Base dir</dt>
        <dd>
          <code>{asString(info.base_dir) ?? '—'}</code>
        </dd>
      </dl>

      <h3>Repositories</h3>
      {repositories.length === 0 ? (
        <p className="muted">No git repository was recorded.</p>
      ) : (
        <ul className="plain-list">
          {repositories.map((repo) => (
            <li key={`${repo.url}@${repo.commit}`}>
              <code>{repo.url}</code> at <code title={repo.commit}>{repo.commit.slice(0, 10)}</code>{' '}
              {repo.dirty === true && <span className="badge badge-warn">dirty</span>}
              {repo.dirty === false && <span className="badge">clean</span>}
            </li>
          ))}
        </ul>
      )}

      <h3>Source files</h3>
      {run.sourceFiles.length === 0 ? (
        <p className="muted">No source files were stored with this run.</p>
      ) : (
        <ul className="plain-list file-list">
          {run.sourceFiles.map((file) => (
            <li key={file.name}>
              {file.available ? (
                <button
                  type="button"
                  className={`link-button${openFile === file.name ? ' active' : ''}`}
                  onClick={() => setOpenFile(openFile === file.name ? null : file.name)}
                >
                  {file.name}
                </button>
              ) : (
                <span className="muted" title="Referenced by the run but not stored">
                  {file.name} (not stored)
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {openFile !== null && (
        <SourceFileView runKey={{ source: run.source, id: run.id }} name={openFile} />
      )}

      {run.resources.length > 0 && (
        <>
          <h3>Resources</h3>
          <ul className="plain-list">
            {run.resources.map((resource) => (
              <li key={resource.path}>
                <code>{resource.path}</code>
                {!resource.available && <span className="muted"> (not stored)</span>}
              </li>
            ))}
          </ul>
        </>
      )}

      <h3>Dependencies</h3>
      {dependencies.length === 0 ? (
        <p className="muted">No dependencies were recorded.</p>
      ) : (
        <ul className="dependency-list">
          {dependencies.map((dependency) => (
            <li key={dependency}>
              <code>{dependency}</code>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
