/** Who a request acts as, once authenticated, and the one check every route makes on it. */
import { problems } from '../http/problems.ts';
import type { TokenResource, UserRecord } from '../store/store.ts';

export interface Principal {
  user: UserRecord;
  /** Permissions of the user's current roles. */
  permissions: string[];
  /** What this credential may do: permissions, or for a PAT its scopes ∩ permissions. */
  effective: Set<string>;
  via: 'pat' | 'session' | 'cookie';
  tokenId: string | null;
  sessionId: string | null;
  /** For a PAT, the resources it is bounded to; empty = not bounded (sessions always). */
  resources: TokenResource[];
}

/** The caller of one request: its principal and its client IP (what the audit log records). */
export interface Caller {
  principal: Principal;
  ip: string;
}

export function requireScope(principal: Principal, scope: string): void {
  if (!principal.effective.has(scope)) throw problems.insufficientScope(scope);
}
