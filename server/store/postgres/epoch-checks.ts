/**
 * The per-request epoch check of PostgreSQL verification, coalesced like a group commit for reads.
 *
 * A caller whose cached token needs an epoch check sends its own statement when no check is in
 * flight (a lone request costs what it always did: one statement, no timer). When one is in flight,
 * it does not send one and does not share that one's answer: it joins the *next* check, sent as soon
 * as the in-flight one answers, which carries the throttle keys of every caller that joined it. One
 * statement per up to BATCH callers returns the epoch and the live counters of all their keys; each
 * caller gets the epoch and its own counters.
 *
 * Why no guarantee weakens (docs/security.md rule 8): every caller is answered from a statement sent
 * *after* the caller arrived, never from one already in flight when it arrived. A revocation, disable,
 * role or settings change committed (on any instance) before a request arrived raised the epoch
 * before that statement was sent, so the statement's snapshot sees it and the request is refused at
 * once, as with a statement of its own. Throttle counters are read the same way: a failure counted
 * before the request arrived is seen.
 */
import type { CounterRow } from '../../auth/throttle.ts';
import type { Row } from '../row-mapping.ts';

/** The verification epoch (see PG_VERIFICATION_EPOCH_MIGRATION). */
export const EPOCH = '(SELECT e.n FROM verification_epoch e WHERE e.id = 1) AS epoch';

/**
 * The throttle counters of the given key parameters, live at `now`, as one JSON array. Scalar
 * parameters, not an array: PostgreSQL estimates `= ANY($n::text[])` for ten elements, so it never
 * found its generic plan cheap enough and planned every execution of the prepared statement anew
 * (measured: 110 → 60 µs of PostgreSQL CPU per verification without it).
 */
export function countersOf(keys: string[], now: string): string {
  return `(SELECT coalesce(json_agg(json_build_array(f.key, f.count, f.reset_at)), '[]'::json)
    FROM throttle_failures f WHERE f.key IN (${keys.map((k) => `${k}::text`).join(', ')}) AND f.reset_at > ${now}) AS counters`;
}

/** One caller's epoch check: the epoch and the caller's counters ($1, $2 its keys, live at $3). */
export const EPOCH_CHECK = `SELECT ${EPOCH}, ${countersOf(['$1', '$2'], '$3')}`;

/** A throttle key no counter has (throttle keys name their kind and subject: `token:ip:…`). */
const NO_COUNTER_KEY = '';

/** Callers per coalesced statement: a fixed arity, so PostgreSQL keeps one generic plan. */
export const BATCH = 8;

/** Up to BATCH callers' epoch check ($1 … $16 their keys, live at $17; see `batchKeys`). */
export const EPOCH_CHECK_BATCH = `SELECT ${EPOCH}, ${countersOf(
  Array.from({ length: 2 * BATCH }, (_, i) => `$${i + 1}`),
  `$${2 * BATCH + 1}`,
)}`;

/** What a caller gets: the epoch and its own live counters. */
export interface EpochAnswer {
  epoch: string;
  counters: CounterRow[];
}

/** Runs one named statement (the store's pool, errors already translated). */
export type SendStatement = (statement: { name: string; text: string; values: unknown[] }) => Promise<{ rows: unknown[] }>;

/** Tests only (production passes none): watches callers join and holds a check's answer. */
export interface EpochCheckSeam {
  /** A caller joined the next check because one was in flight. */
  joined?(): void;
  /** Every statement of a check answered (or failed); its callers get the outcome when this settles. */
  answered?(callers: number): Promise<void>;
}

interface Caller {
  first: string;
  second: string | null;
  now: number;
  resolve(answer: EpochAnswer): void;
  reject(error: unknown): void;
}

export class EpochChecks {
  readonly #send: SendStatement;
  readonly #seam: EpochCheckSeam | undefined;
  #inFlight = false;
  /** Callers that arrived while a check was in flight: the next check is theirs. */
  #next: Caller[] = [];

  constructor(send: SendStatement, seam?: EpochCheckSeam) {
    this.#send = send;
    this.#seam = seam;
  }

  /** The epoch and the live counters of `first` and `second` (null: none), from a statement sent after this call. */
  check(first: string, second: string | null, now: number): Promise<EpochAnswer> {
    return new Promise((resolve, reject) => {
      const caller: Caller = { first, second, now, resolve, reject };
      if (this.#inFlight) {
        this.#next.push(caller);
        this.#seam?.joined?.();
      } else {
        void this.#run([caller]);
      }
    });
  }

  /**
   * The epoch alone, for a token looked up without a caller's counters (introspection's token to
   * inspect: the caller's own check read those). It joins the checks as any caller does, so the
   * same rule holds; its key matches no counter and its `now` never lowers the group's earliest.
   */
  async epoch(): Promise<string> {
    return (await this.check(NO_COUNTER_KEY, null, Number.MAX_SAFE_INTEGER)).epoch;
  }

  /** Sends one check for `callers` (several statements sent together past BATCH), then the next one. */
  async #run(callers: Caller[]): Promise<void> {
    this.#inFlight = true;
    const groups: Caller[][] = [];
    for (let i = 0; i < callers.length; i += BATCH) groups.push(callers.slice(i, i + BATCH));
    const outcomes = await Promise.allSettled(groups.map((group) => this.#statement(group)));
    if (this.#seam?.answered) await this.#seam.answered(callers.length).catch(() => undefined);
    outcomes.forEach((outcome, i) => {
      for (const caller of groups[i]!) {
        if (outcome.status === 'rejected') caller.reject(outcome.reason);
        else caller.resolve(answerFor(caller, outcome.value));
      }
    });
    const next = this.#next;
    this.#next = [];
    if (next.length > 0) void this.#run(next);
    else this.#inFlight = false;
  }

  async #statement(group: Caller[]): Promise<{ epoch: string; counters: CounterRow[] }> {
    // The earliest `now` of the group: each caller's own `now` is applied again by `waitFrom`.
    const now = Math.min(...group.map((c) => c.now));
    const statement =
      group.length === 1
        ? { name: 'verification_epoch_check', text: EPOCH_CHECK, values: [group[0]!.first, group[0]!.second, now] }
        : { name: 'verification_epoch_check_batch', text: EPOCH_CHECK_BATCH, values: [...batchKeys(group), now] };
    const row = (await this.#send(statement)).rows[0] as Row;
    return { epoch: String(row.epoch), counters: countersFrom(row.counters) };
  }
}

/**
 * The 2 × BATCH key parameters of a group; a slot no caller fills (or a caller's absent account key)
 * repeats the group's first key. Not null: PostgreSQL drops null elements from its estimate, so a
 * custom plan for a small group looked cheaper than the generic one and it planned every execution
 * anew (measured: 0 generic plans in 2,000 executions of a 2-caller group padded with nulls, all
 * generic with repeats). A repeated key matches its row once.
 */
function batchKeys(group: Caller[]): string[] {
  const keys = new Array<string>(2 * BATCH).fill(group[0]!.first);
  group.forEach((c, i) => {
    keys[2 * i] = c.first;
    if (c.second !== null) keys[2 * i + 1] = c.second;
  });
  return keys;
}

/** The JSON counters column as rows. */
export function countersFrom(json: unknown): CounterRow[] {
  return (json as [string, number, number | string][]).map(([key, count, resetAt]) => ({ key, count: Number(count), resetAt: Number(resetAt) }));
}

function answerFor(caller: Caller, all: { epoch: string; counters: CounterRow[] }): EpochAnswer {
  return { epoch: all.epoch, counters: all.counters.filter((c) => c.key === caller.first || c.key === caller.second) };
}
