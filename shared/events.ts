import { z } from 'zod';

/** Events pushed from the core to every door (IPC: webContents.send, HTTP: server-sent events). */
export const SyncProgressSchema = z.object({
  source: z.string(),
  phase: z.enum(['scanning', 'reading', 'done', 'failed']),
  done: z.number().int(),
  total: z.number().int(),
  /** The run being read, when phase is "reading". */
  runId: z.string().nullable(),
  message: z.string().nullable(),
});
export type SyncProgress = z.infer<typeof SyncProgressSchema>;

export const events = {
  syncProgress: SyncProgressSchema,
  sourcesChanged: z.object({}),
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
export const eventNames = Object.keys(events) as EventName[];

export type Unsubscribe = () => void;

/** Subscribing to events: implemented by the core's event bus and by every client. */
export interface EventSource {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Unsubscribe;
}
