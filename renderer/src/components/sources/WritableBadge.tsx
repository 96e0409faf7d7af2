import '../tags/tags.css';
/** The sidebar's mark of a source whose tags and notes may be edited; read-only ones have none. */
export function WritableBadge({ writable }: { writable: boolean }) {
  if (!writable) return null;
  return (
    <span
      className="kind-tag writable-badge"
      data-testid="source-writable"
      title="Edits are on: tags and notes of this source's runs can be changed (⋯ menu → Read-only turns them off)"
    >
      ✎ edits on
    </span>
  );
}
