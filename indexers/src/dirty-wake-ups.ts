/**
 * How idle loops wait for work marked in a dirty set: they sleep until
 * markDirty publishes on the set's wake-up channel, or until `ms` passes (the
 * poll is the safety net, e.g. while Redis reconnects). Shared by the rebuild
 * and the match loops.
 */
import type { Redis } from 'ioredis';
import { dirtyWakeChannel } from '../../store/src/dirty-set';

export interface DirtyWakeUps {
  /** Resolves on the next wake-up or after `ms`. */
  idle(ms: number): Promise<void>;
  /**
   * Counts wake-ups: read it before a claim, and a loop whose claim came back
   * empty sleeps only if it did not change meanwhile, so a mark that arrives
   * while the claim is on its way is not lost.
   */
  readonly wakeups: number;
  /** Wakes every sleeping loop now, e.g. to let it see that it is stopping. */
  wakeAll(): void;
  /** Ends the subscription; the loops should have stopped. */
  close(): Promise<void>;
}

/** Subscribes (on a connection of its own) to the wake-up channels of these dirty-set keys. */
export function dirtyWakeUps(redis: Redis, dirtyKeys: readonly string[]): DirtyWakeUps {
  const sleepers = new Set<() => void>();
  let wakeups = 0;
  const wakeAll = () => {
    wakeups++;
    for (const wake of [...sleepers]) wake();
  };
  const subscriber = redis.duplicate();
  subscriber.on('message', wakeAll);
  subscriber.on('error', () => {}); // reconnects by itself; until then the loops poll
  subscriber.subscribe(...dirtyKeys.map(dirtyWakeChannel)).catch(() => {});
  return {
    idle: (ms) =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          sleepers.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        sleepers.add(done);
      }),
    get wakeups() {
      return wakeups;
    },
    wakeAll,
    close: async () => {
      await subscriber.quit().catch(() => {});
    },
  };
}
