import { useCallback, useEffect, useState } from 'react';
import {
  SIDEBAR_STORAGE_KEY,
  formatCollapsed,
  isSidebarShortcut,
  parseCollapsed,
} from '../model/sidebar-toggle';

function readStored(): boolean {
  try {
    return parseCollapsed(window.localStorage.getItem(SIDEBAR_STORAGE_KEY));
  } catch {
    // Storage can be disabled (a locked-down browser profile): the sidebar then just shows.
    return false;
  }
}

/** Whether the sidebar is folded away: a button and Ctrl/Cmd+B toggle it; remembered. */
export function useSidebarCollapsed(): [boolean, () => void] {
  const [collapsed, setCollapsed] = useState(readStored);

  useEffect(() => {
    try {
      window.localStorage.setItem(SIDEBAR_STORAGE_KEY, formatCollapsed(collapsed));
    } catch {
      // Not remembered then; the toggle still works.
    }
  }, [collapsed]);

  const toggle = useCallback(() => setCollapsed((current) => !current), []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (!isSidebarShortcut(event)) return;
      event.preventDefault();
      toggle();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggle]);

  return [collapsed, toggle];
}
