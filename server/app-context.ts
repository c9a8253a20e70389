/**
 * The services the whole server shares (store, catalog, pepper, authenticator, failure policies,
 * clock), made once at start-up and decorated onto the Fastify instance as `app.ctx`.
 */
import type { KeyObject } from 'node:crypto';
import fp from 'fastify-plugin';
import { Authenticator } from './auth/authenticator.ts';
import { HashGate } from './auth/hash-gate.ts';
import { QuotaPolicy } from './auth/quota.ts';
import { FailurePolicy, type ThrottleConfig, type ThrottleLimit } from './auth/throttle.ts';
import type { Catalog } from './catalog/catalog.ts';
import type { Store } from './store/store.ts';
import { LeakReportQueue } from './tokens/leak-report-queue.ts';

export interface AppContext {
  store: Store;
  catalog: Catalog;
  pepper: KeyObject;
  auth: Authenticator;
  signInFailures: FailurePolicy;
  passwordFailures: FailurePolicy;
  /** Bounds the password hashes running at once (sign-in and password re-checks). */
  passwordHashing: HashGate;
  /** Counts every leaked-token report per IP, atomically (shared across instances like the failure counters). */
  leakReports: QuotaPolicy;
  /** Accepted leak reports, processed after their answer (docs/security.md rule 33). */
  leakReportQueue: LeakReportQueue;
  now: () => number;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}

export function createAppContext(parts: { store: Store; catalog: Catalog; pepper: KeyObject; throttle: ThrottleConfig; now: () => number }): AppContext {
  const { store, catalog, pepper, throttle, now } = parts;
  const policy = (kind: string, perIp: ThrottleLimit, perAccount: ThrottleLimit) =>
    new FailurePolicy(kind, perIp, perAccount, store.failures, now);
  return {
    store,
    catalog,
    pepper,
    now,
    auth: new Authenticator({ store, catalog, pepper, tokenFailures: policy('token', throttle.tokenPerIp, throttle.tokenPerAccount), now }),
    signInFailures: policy('sign_in', throttle.signInPerIp, throttle.signInPerAccount),
    passwordFailures: policy('password', throttle.passwordPerIp, throttle.passwordPerAccount),
    passwordHashing: new HashGate(throttle.passwordHashes),
    leakReports: new QuotaPolicy('leak_report', throttle.leakReportPerIp, store.quotas, now),
    leakReportQueue: new LeakReportQueue(store),
  };
}

export function nowIso(ctx: { now: () => number }): string {
  return new Date(ctx.now()).toISOString();
}

/** Decorates the root instance with `ctx`; accepted leak reports are processed, then the store closes with the server. */
export const appContextPlugin = fp<{ ctx: AppContext }>(
  async (app, { ctx }) => {
    app.decorate('ctx', ctx);
    // After the last request finished: every accepted report is processed before the store closes.
    app.addHook('onClose', async () => {
      await ctx.leakReportQueue.close();
      await ctx.store.close();
    });
  },
  { name: 'patkit-context' },
);
