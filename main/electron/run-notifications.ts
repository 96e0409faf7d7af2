// A desktop notification when a watched RUNNING run finishes (core event runFinished), for
// the sources whose notifyFinishedRuns is on. The core only says what happened; whether and
// how to tell the user is the desktop shell's business.
import type { EventPayload } from '../../shared/events';
import type { CoreService } from '../core/core-service';

type FinishedRun = EventPayload<'runFinished'>;

export interface NotificationLike {
  on(event: 'click', listener: () => void): unknown;
  show(): void;
}

export interface RunNotificationDeps {
  core: Pick<CoreService, 'on' | 'listSources'>;
  /** Electron's Notification, or null where the system has none (Notification.isSupported). */
  notify: ((text: { title: string; body: string }) => NotificationLike) | null;
  /** The user clicked the notification: show that run. */
  openRun(run: { source: string; runId: string }): void;
}

/** What the notification says: status first, then which run and where. */
export function notificationText(run: FinishedRun): { title: string; body: string } {
  const what = run.experiment === null ? `Run ${run.runId}` : `${run.experiment} #${run.runId}`;
  const verb =
    run.status === 'COMPLETED'
      ? 'completed'
      : run.status === 'FAILED'
        ? 'failed'
        : run.status === 'INTERRUPTED'
          ? 'was interrupted'
          : `is now ${run.status}`;
  return { title: `${what} ${verb}`, body: `Source “${run.source}”` };
}

/** Listens for finished runs; returns the unsubscribe function. */
export function announceFinishedRuns(deps: RunNotificationDeps): () => void {
  // The opted-in sources, read again when sources change (the source menu, the CLI).
  let watched: Promise<Set<string>> | null = null;
  const watchedSources = (): Promise<Set<string>> => {
    watched ??= deps.core
      .listSources({})
      .then((sources) => new Set(sources.filter((s) => s.notifyFinishedRuns).map((s) => s.name)))
      .catch(() => new Set<string>());
    return watched;
  };
  const offSources = deps.core.on('sourcesChanged', () => {
    watched = null;
  });
  const offFinished = deps.core.on('runFinished', (run) => {
    const notify = deps.notify;
    if (notify === null) return;
    void watchedSources().then((sources) => {
      if (!sources.has(run.source)) return;
      const notification = notify(notificationText(run));
      notification.on('click', () => deps.openRun({ source: run.source, runId: run.runId }));
      notification.show();
    });
  });
  return () => {
    offSources();
    offFinished();
  };
}
