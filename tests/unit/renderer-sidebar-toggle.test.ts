import { describe, expect, it } from 'vitest';
import {
  formatCollapsed,
  isSidebarShortcut,
  parseCollapsed,
} from '../../renderer/src/model/sidebar-toggle';

const key = (over: Partial<Parameters<typeof isSidebarShortcut>[0]>) => ({
  key: 'b',
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...over,
});

describe('sidebar toggle', () => {
  it('folds on Ctrl+B and Cmd+B, whatever the caps lock', () => {
    expect(isSidebarShortcut(key({ ctrlKey: true }))).toBe(true);
    expect(isSidebarShortcut(key({ metaKey: true }))).toBe(true);
    expect(isSidebarShortcut(key({ ctrlKey: true, key: 'B' }))).toBe(true);
  });

  it('leaves typing and other shortcuts alone', () => {
    expect(isSidebarShortcut(key({}))).toBe(false);
    expect(isSidebarShortcut(key({ ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(isSidebarShortcut(key({ ctrlKey: true, altKey: true }))).toBe(false);
    expect(isSidebarShortcut(key({ ctrlKey: true, key: 'n' }))).toBe(false);
  });

  it('remembers the folded state, and shows the sidebar for anything it cannot read', () => {
    expect(parseCollapsed(formatCollapsed(true))).toBe(true);
    expect(parseCollapsed(formatCollapsed(false))).toBe(false);
    for (const stored of [null, '', 'true', 'yes', '{}'])
      expect(parseCollapsed(stored)).toBe(false);
  });
});
