import { useEffect, useRef } from 'react';
import type { RunKey } from '../../../shared/contract';
import type { DesktopMessage } from '../../../shared/desktop-messages';
import { shownAddress } from './use-route';
import '../components/desktop/drop-target.css';

export interface DesktopShellHandlers {
  /** The source the run table lists alone, or null. */
  source: string | null;
  openRun(run: RunKey): void;
  selectSource(name: string): void;
}

/**
 * The desktop app's habits on the page side (nothing happens in a browser): folders dropped
 * on the window go to main (which adds or opens them), what main hands over (a deep link, a
 * recent source, the screen of last time) is shown, and the screen shown now is reported so
 * the next start returns to it.
 */
export function useDesktopShell(handlers: DesktopShellHandlers): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  const bridge = window.altar;

  useEffect(() => {
    if (bridge?.onDesktopMessage === undefined) return undefined;
    const off = bridge.onDesktopMessage((message) => handle(message, latest.current));
    void bridge.desktopReady?.();
    return off;
  }, [bridge]);

  useEffect(() => {
    const openDropped = bridge?.openDroppedFiles;
    if (openDropped === undefined) return undefined;
    let depth = 0;
    const carriesFiles = (event: DragEvent): boolean =>
      event.dataTransfer?.types.includes('Files') === true;
    const mark = (on: boolean): void => {
      document.body.classList.toggle('desktop-drop-target', on);
    };
    const onEnter = (event: DragEvent): void => {
      if (!carriesFiles(event)) return;
      depth += 1;
      mark(true);
    };
    const onLeave = (event: DragEvent): void => {
      if (!carriesFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) mark(false);
    };
    const onOver = (event: DragEvent): void => {
      if (!carriesFiles(event)) return;
      // Without this the drop is refused; copy, since the folder stays where it is.
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (event: DragEvent): void => {
      depth = 0;
      mark(false);
      if (!carriesFiles(event)) return;
      // Never let Chromium navigate to a dropped file.
      event.preventDefault();
      const files = Array.from(event.dataTransfer?.files ?? []);
      if (files.length > 0) void openDropped(files);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
      mark(false);
    };
  }, [bridge]);

  // After every render: the address and the source may have changed; only a change is sent.
  const reported = useRef('');
  useEffect(() => {
    if (bridge?.reportScreen === undefined) return;
    const screen = {
      source: handlers.source,
      route: shownAddress(),
    };
    const key = JSON.stringify(screen);
    if (key === reported.current) return;
    reported.current = key;
    void bridge.reportScreen(screen).catch(() => undefined);
  });
}

function handle(message: DesktopMessage, handlers: DesktopShellHandlers): void {
  switch (message.kind) {
    case 'openRun':
      handlers.openRun({ source: message.source, id: message.runId });
      return;
    case 'selectSource':
      handlers.selectSource(message.source);
      return;
    case 'restoreScreen': {
      const { route, source } = message.screen;
      const here = `${window.location.pathname}${window.location.search}`;
      if (route !== null && route !== '/' && route !== here) {
        // The page's router (use-route.ts) follows the address on popstate.
        window.history.replaceState(null, '', route);
        window.dispatchEvent(new PopStateEvent('popstate'));
      } else if (source !== null) {
        handlers.selectSource(source);
      }
      return;
    }
  }
}
