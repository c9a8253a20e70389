/** What `buildServer` is asked for, and what its start-up reports back (`app.patkit`). */
import type { ThrottleConfig } from './auth/throttle.ts';
import type { Store } from './store/store.ts';
import type { WebhookOptions } from './webhooks/dispatcher.ts';

/** The command that gives `admin` a new password; start-up messages point at it. */
export const RESET_ADMIN_PASSWORD_COMMAND = 'npm run serve -- --reset-admin-password';

export interface ServerOptions {
  /** Folder for `patkit.db` and the pepper file. */
  dataDir: string;
  /** Password for `admin` when it is created (first start); generated when absent. */
  adminPassword?: string;
  /** Seed demo data: PATs on, user `alice`, example tokens for admin (idempotent). */
  demo?: boolean;
  /**
   * Give the existing `admin` a new password (`adminPassword`, or a generated one reported in
   * `generatedAdminPassword`) and end its sessions: the way back in when the password is lost.
   */
  resetAdminPassword?: boolean;
  /** Turn `enable_personal_access_tokens` on at start. */
  enablePats?: boolean;
  /** JSON file that extends the scope catalog (`PATKIT_SCOPES_FILE`). */
  scopesFile?: string;
  /** Origins allowed to call the API from a browser (`PATKIT_CORS_ORIGINS`). */
  corsOrigins?: string[];
  /**
   * Reverse proxies whose `X-Forwarded-For` is believed (`PATKIT_TRUSTED_PROXIES`): addresses or
   * CIDR ranges. The client address is then the rightmost forwarded address that is not one of
   * them (docs/security.md rule 32). Default: none, the socket's peer address is the client.
   */
  trustedProxies?: string[];
  /** Built admin console; `null` serves only the plain page. Default `dist/console`. */
  consoleDir?: string | null;
  /** Built documentation site, served at `/docs/`; `null` serves only the "not built" page. Default `dist/docs`. */
  docsDir?: string | null;
  throttle?: Partial<ThrottleConfig>;
  /**
   * `postgres://…` (`PATKIT_DATABASE_URL`): the PostgreSQL store, for several instances on one
   * database; no SQLite file is created. Default: SQLite in dataDir.
   */
  databaseUrl?: string;
  /** Connections per instance with PostgreSQL (`PATKIT_DATABASE_POOL`, default 10). */
  databasePoolSize?: number;
  /** The pepper file (`PATKIT_PEPPER_FILE`); default `dataDir/pepper`. Instances of one database share it. */
  pepperFile?: string;
  /** Another `Store` (tests wrap the SQLite one to watch its calls). Default: SQLite in dataDir. */
  store?: Store;
  now?: () => number;
  /** Webhook delivery timing (tests shorten the backoff and the polling). */
  webhooks?: WebhookOptions;
}

export interface StartupInfo {
  store: Store;
  /** The admin password when it was generated on this start (print it once), else null. */
  generatedAdminPassword: string | null;
  /** True when `admin` was created on this start. */
  createdAdmin: boolean;
  /** True when `admin`'s password was reset on this start. */
  resetAdminPassword: boolean;
  demo: { username: string; password: string; canCreateTokens: boolean } | null;
}
