/** Where the sidebar's folded state is remembered (per origin: one per door). */
export const SIDEBAR_STORAGE_KEY = 'altar-viewer.sidebar-collapsed';

/** The shortcut that folds and unfolds the sidebar: Ctrl+B (Cmd+B on a Mac), as in editors. */
export function isSidebarShortcut(event: {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}): boolean {
  return (
    (event.ctrlKey || event.metaKey) &&
    !event.altKey &&
    !event.shiftKey &&
    event.key.toLowerCase() === 'b'
  );
}

/** The remembered state: only an explicit "1" folds; anything else (unset, garbage) does not. */
export function parseCollapsed(stored: string | null): boolean {
  return stored === '1';
}

export function formatCollapsed(collapsed: boolean): string {
  return collapsed ? '1' : '0';
}
