import type { EventName, EventPayload, EventSource, Unsubscribe } from '../../shared/events';

type Listener<E extends EventName> = (payload: EventPayload<E>) => void;

/** Typed publish/subscribe for core events; a throwing listener never breaks the emitter. */
export class EventBus implements EventSource {
  private readonly listeners = new Map<EventName, Set<Listener<EventName>>>();

  on<E extends EventName>(event: E, listener: Listener<E>): Unsubscribe {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const stored = listener as unknown as Listener<EventName>;
    set.add(stored);
    return () => {
      set.delete(stored);
    };
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const set = this.listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        listener(payload);
      } catch {
        // A broken subscriber (a closed window, a dropped HTTP stream) must not stop a sync.
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
