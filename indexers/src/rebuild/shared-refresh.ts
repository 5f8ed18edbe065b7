/**
 * One explicit `_refresh` of an index shared by every rebuild loop of the
 * process, instead of one per loop and batch.
 *
 * A loop needs a refresh that *started after* a moment it knows (its claim,
 * which came after the writes it must see). If one is running that started
 * late enough, the loop joins it; otherwise it joins the single next one,
 * started as soon as the running one ends. So however many loops ask, at most
 * one refresh runs and one waits, and nobody reads older data than it needs.
 */
import type { Client } from '@elastic/elasticsearch';

export class SharedRefresh {
  private running: { startedAt: number; done: Promise<void> } | null = null;
  private next: Promise<void> | null = null;
  /** Refreshes sent so far (the benchmark reports them). */
  count = 0;

  constructor(
    private readonly es: Client,
    private readonly index: string | string[],
  ) {}

  /** Resolves when a refresh of the index that started at or after `since` (performance.now()) has finished. */
  after(since: number): Promise<void> {
    if (this.running && this.running.startedAt >= since) return this.running.done;
    // The queued one starts after everything running now, so after `since` too.
    if (this.next) return this.next;
    if (!this.running) return this.start();
    const next: Promise<void> = this.running.done
      .catch(() => {})
      .then(() => {
        if (this.next === next) this.next = null;
        return this.start();
      });
    this.next = next;
    return next;
  }

  private start(): Promise<void> {
    const startedAt = performance.now();
    this.count++;
    const done = this.es.indices.refresh({ index: this.index }).then(() => undefined);
    const running = { startedAt, done };
    this.running = running;
    // Cleared whether it worked or not; callers see the failure through `done`.
    done.then(
      () => this.clear(running),
      () => this.clear(running),
    );
    return done;
  }

  private clear(running: { startedAt: number; done: Promise<void> }): void {
    if (this.running === running) this.running = null;
  }
}
