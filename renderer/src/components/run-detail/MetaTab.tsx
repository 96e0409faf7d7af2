import type { JsonValue, RunDetail } from '../../../../shared/contract';
import { DataTree } from '../common/DataTree';

function asObject(value: JsonValue | undefined): { [key: string]: JsonValue } | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
}

/** A flag that was not given: false, null, or an empty list. */
function isUnset(value: JsonValue): boolean {
  return value === null || value === false || (Array.isArray(value) && value.length === 0);
}

function optionText(value: JsonValue): string {
  if (value === true) return 'yes';
  if (typeof value === 'string') return value;
  // UPDATE: ["fast", "lr=0.0003"] reads as it was typed after `with`.
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.join(' ');
  }
  return JSON.stringify(value);
}

/** How the run was started: command line options, config updates and named configs. */
export function MetaTab({ run }: { run: RunDetail }) {
  const meta = run.meta;
  const options = asObject(meta.options);
  const given = options === null ? [] : Object.entries(options).filter(([, v]) => !isUnset(v));
  const unset = options === null ? 0 : Object.keys(options).length - given.length;
  const updates = asObject(meta.config_updates);
  const named = Array.isArray(meta.named_configs) ? meta.named_configs : null;
  const { options: _o, config_updates: _u, named_configs: _n, command: _c, ...rest } = meta;

  return (
    <div className="meta-tab stack" data-testid="meta">
      <h3>Command</h3>
      {typeof meta.command === 'string' ? (
        <code>{meta.command}</code>
      ) : (
        <p className="muted">No command was recorded.</p>
      )}
      <h3>Command line options</h3>
      {options === null ? (
        <p className="muted">No command line options were recorded.</p>
      ) : given.length === 0 ? (
        <p className="muted">Only defaults ({unset} options not given).</p>
      ) : (
        <table className="data-table" data-testid="meta-options">
          <tbody>
            {given.map(([key, value]) => (
              <tr key={key}>
                <th>
                  <code>{key}</code>
                </th>
                <td>{optionText(value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {options !== null && given.length > 0 && unset > 0 && (
        <p className="muted">{unset} more options were left at their defaults.</p>
      )}
      <h3>Config updates</h3>
      {updates === null || Object.keys(updates).length === 0 ? (
        <p className="muted">
          {updates === null
            ? 'Not recorded (Sacred before 0.8.3 does not store them).'
            : 'None: the config is the experiment’s default.'}
        </p>
      ) : (
        <DataTree data={updates} searchable={false} />
      )}
      <h3>Named configs</h3>
      {named === null ? (
        <p className="muted">Not recorded (Sacred before 0.8.3 does not store them).</p>
      ) : named.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="plain-list">
          {named.map((item, index) => (
            <li key={index}>
              <code>{typeof item === 'string' ? item : JSON.stringify(item)}</code>
            </li>
          ))}
        </ul>
      )}
      {Object.keys(rest).length > 0 && (
        <>
          <h3>Other meta</h3>
          <DataTree data={rest} searchable={false} />
        </>
      )}
    </div>
  );
}
