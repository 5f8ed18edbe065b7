/**
 * Timing the steps of a unit of work (an ingest job, a rebuild batch) when a
 * caller asks for it.
 *
 * Production code only marks where each step ends; it measures nothing
 * unless the caller passes timers that record, as `bench:freshness` and the
 * freshness test do ({@link recordSteps}). The default, {@link untimedSteps},
 * does nothing. A metrics exporter would plug in here too.
 *
 * @example
 * const steps = timers(); // one timer per unit, started now
 * await claim();
 * steps.lap('claimMs');
 * await write();
 * steps.lap('writeMs');
 * steps.end();
 */

/** The timer of one unit of work, started when it is made. */
export interface StepTimer {
  /** Ends step `name`: it took the time since the previous step ended, or since the timer was made. */
  lap(name: string): void;
  /** Records a figure of the unit that is not a step: a count, or a time measured elsewhere (ms). */
  note(name: string, value: number): void;
  /** The unit is done. Its maker calls it, after the last step; a unit that fails never ends. */
  end(): void;
}

/** Makes the timer of each unit of work. */
export type StepTimers = () => StepTimer;

/** A timer that measures nothing: the default everywhere. */
export const untimed: StepTimer = { lap() {}, note() {}, end() {} };

/** Timers that measure nothing: the default everywhere. */
export const untimedSteps: StepTimers = () => untimed;

/** Timers that hand each unit's figures (whole ms, or the noted values rounded) to `onUnit` when it ends. */
export function recordSteps(onUnit: (figures: Record<string, number>) => void): StepTimers {
  return () => {
    const figures: Record<string, number> = {};
    let mark = performance.now();
    return {
      lap(name) {
        const now = performance.now();
        figures[name] = Math.round(now - mark);
        mark = now;
      },
      note(name, value) {
        figures[name] = Math.round(value);
      },
      end() {
        onUnit(figures);
      },
    };
  };
}
