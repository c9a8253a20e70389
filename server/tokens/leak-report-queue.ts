/**
 * Leak reports are matched and acted on off the request path (docs/security.md rule 33): the route
 * only takes the quota, digests the values and hands them here, so its answer costs the same whether
 * or not anything matched. This queue then runs the reports one at a time, in order, through
 * `Store.reportLeakedTokens` (disable, end grace, audit `token.reported_leaked`, which the webhook
 * outbox turns into an event). One at a time also bounds the database work reports can cause.
 *
 * Bounded: past `maxPendingDigests` values waiting, new reports are refused (a 503 that says
 * nothing about matches). Drained on close: once the last request has finished, every accepted report
 * is processed before the store closes. In process memory: a crash loses what is still queued (a
 * few milliseconds' worth in normal operation); the reporter may send the report again.
 */
import type { Store } from '../store/store.ts';

/** How long after a report is queued its processing starts (when the queue was idle). */
const START_DELAY_MS = 10;

export interface LeakReportJob {
  digests: Buffer[];
  /** When the report was accepted (ISO): the time the grace periods are judged at and audited with. */
  at: string;
  ip: string | null;
}

export interface LeakReportQueueOptions {
  /** Values waiting at most before new reports are refused (default 100,000: 3.2 MB of digests). */
  maxPendingDigests?: number;
  /** Attempts per report when the store fails (default 5), `retryDelayMs` apart (default 1,000). */
  attempts?: number;
  retryDelayMs?: number;
}

export class LeakReportQueue {
  readonly #store: Pick<Store, 'reportLeakedTokens'>;
  readonly #maxPending: number;
  readonly #attempts: number;
  readonly #retryDelayMs: number;
  readonly #jobs: LeakReportJob[] = [];
  #pendingDigests = 0;
  #running: Promise<void> | null = null;
  #paused: Promise<void> | null = null;
  #resume: (() => void) | null = null;
  #closing = false;

  constructor(store: Pick<Store, 'reportLeakedTokens'>, options: LeakReportQueueOptions = {}) {
    this.#store = store;
    this.#maxPending = options.maxPendingDigests ?? 100_000;
    this.#attempts = options.attempts ?? 5;
    this.#retryDelayMs = options.retryDelayMs ?? 1_000;
  }

  /** Queues a report; false (nothing queued) when the queue is full or closing. Processing starts after this turn of the event loop. */
  enqueue(job: LeakReportJob): boolean {
    if (this.#closing || this.#pendingDigests + job.digests.length > this.#maxPending) return false;
    this.#jobs.push(job);
    this.#pendingDigests += job.digests.length;
    // The answer is written and on its way before any matching work starts: a short delay also keeps
    // that work from competing for the CPU with the answer's last steps (a client on the same host).
    this.#running ??= new Promise<void>((resolve) => setTimeout(resolve, START_DELAY_MS)).then(() => this.#run());
    return true;
  }

  /** Resolves once every report queued so far has been processed. */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Refuses new reports, processes those queued, then resolves (before the store closes). */
  async close(): Promise<void> {
    this.#closing = true;
    this.resume();
    await this.settled();
  }

  /**
   * Holds processing until `resume()` (tests: shows that the answer is sent while the matching work
   * has not started).
   */
  pause(): void {
    this.#paused ??= new Promise<void>((resolve) => (this.#resume = resolve));
  }

  resume(): void {
    this.#resume?.();
    this.#paused = null;
    this.#resume = null;
  }

  async #run(): Promise<void> {
    try {
      for (let job = this.#jobs.shift(); job; job = this.#jobs.shift()) {
        while (this.#paused) await this.#paused;
        await this.#process(job);
        this.#pendingDigests -= job.digests.length;
      }
    } finally {
      this.#running = null;
    }
  }

  async #process(job: LeakReportJob): Promise<void> {
    if (job.digests.length === 0) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#store.reportLeakedTokens(job.digests, job.at, job.ip);
        return;
      } catch (error) {
        if (attempt >= this.#attempts) {
          console.error('patkit: a leak report could not be processed: %s', error instanceof Error ? error.message : String(error));
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, this.#closing ? 0 : this.#retryDelayMs));
      }
    }
  }
}
