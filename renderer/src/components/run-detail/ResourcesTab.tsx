import type { RunDetail } from '../../../../shared/contract';

/** Files the run opened with `ex.open_resource` / `add_resource`, and whether a copy is kept. */
export function ResourcesTab({ run }: { run: RunDetail }) {
  if (run.resources.length === 0) {
    return (
      <p className="muted">
        This run used no resources (files opened with Sacred’s <code>open_resource</code>).
      </p>
    );
  }
  return (
    <table className="data-table" data-testid="resources">
      <thead>
        <tr>
          <th>Path on the experiment’s machine</th>
          <th>Stored copy</th>
        </tr>
      </thead>
      <tbody>
        {run.resources.map((resource, index) => (
          <tr key={`${resource.path}:${index}`}>
            <td>
              <code>{resource.path}</code>
            </td>
            <td>
              {resource.stored === null ? (
                <span className="muted">none</span>
              ) : (
                <>
                  <code>{resource.stored}</code>
                  {!resource.available && <span className="muted"> (missing)</span>}
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
