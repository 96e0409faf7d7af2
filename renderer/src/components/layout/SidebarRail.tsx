/** What is left of the folded sidebar: a narrow strip with the button that brings it back. */
export function SidebarRail({ onExpand }: { onExpand: () => void }) {
  return (
    <div className="sidebar-rail">
      <button
        type="button"
        className="sidebar-toggle"
        data-testid="sidebar-expand"
        aria-label="Show the sidebar"
        aria-expanded={false}
        title="Show the sidebar (Ctrl+B)"
        onClick={onExpand}
      >
        »
      </button>
    </div>
  );
}
