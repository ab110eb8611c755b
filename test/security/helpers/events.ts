import type { EventMessage } from '../../../shared/api/contract';

/** The first backend event (collected into `events` by onEvent) that `pred` accepts, once it came. */
export function untilEvent(events: EventMessage[], pred: (e: EventMessage) => boolean): Promise<EventMessage> {
  return new Promise((resolve) => {
    const t = setInterval(() => {
      const m = events.find(pred);
      if (m) {
        clearInterval(t);
        resolve(m);
      }
    }, 25);
  });
}
