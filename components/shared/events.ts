/**
 * Typed events of the patkit kit. Every event bubbles and is composed, so a host page can listen
 * on any ancestor. Request events (`pat-request-*`) are cancelable: call `preventDefault()` to veto
 * the action before the component asks the user or touches the server.
 *
 * No event here ever carries a token secret (docs/security.md rule 25): secrets go straight from the
 * provider into a `<pat-reveal-dialog>`'s private field.
 */
import type { ResourceRef, TokenMeta, User } from '../../lib/model.ts';

/** What a row (or the bulk bar) of `<pat-token-list>` can do to tokens. */
export type TokenAction =
  | 'copy-id'
  | 'details'
  | 'edit'
  | 'clone'
  | 'regenerate'
  | 'end-grace'
  | 'disable'
  | 'enable'
  | 'delete'
  | 'disable-unused';

/** Actions that destroy or interrupt something: they always ask first. */
export const DESTRUCTIVE_ACTIONS: ReadonlySet<TokenAction> = new Set(['delete', 'disable', 'regenerate', 'end-grace', 'disable-unused']);

const init = { bubbles: true, composed: true } as const;

/** Fired before any token action; cancel it to veto. `source` says what started it. */
export class PatRequestActionEvent extends Event {
  static get eventName(): 'pat-request-action' {
    return 'pat-request-action';
  }
  readonly detail: { action: TokenAction; ids: string[]; source: 'menu' | 'bulk' | 'keyboard' };
  constructor(detail: PatRequestActionEvent['detail']) {
    super(PatRequestActionEvent.eventName, { ...init, cancelable: true });
    this.detail = detail;
  }
}

/**
 * Fired once a token action is confirmed. `handled` is true when the component already carried it
 * out through its provider; otherwise the host (or `<pat-token-manager>`) does it.
 */
export class PatTokenActionEvent extends Event {
  static get eventName(): 'pat-token-action' {
    return 'pat-token-action';
  }
  readonly detail: {
    action: TokenAction;
    ids: string[];
    handled: boolean;
    /** `regenerate`: how long the old value keeps working (seconds; 0 = it stopped at once). */
    gracePeriodSeconds?: number;
    /** `regenerate` of a token whose lifetime exceeds the policy: the compliant expiry picked (ISO), set before the new value. */
    expiresAt?: string;
    /** `disable-unused`: the "unused for" days the preview and the change used. */
    unusedDays?: number;
  };
  constructor(detail: PatTokenActionEvent['detail']) {
    super(PatTokenActionEvent.eventName, init);
    this.detail = detail;
  }
}

/** The selected token ids changed. */
export class PatSelectionChangeEvent extends Event {
  static get eventName(): 'pat-selection-change' {
    return 'pat-selection-change';
  }
  readonly detail: { ids: string[] };
  constructor(ids: string[]) {
    super(PatSelectionChangeEvent.eventName, init);
    this.detail = { ids };
  }
}

/** The user asked for fresh data. Without a provider, the host reloads and sets `tokens`. */
export class PatRefreshEvent extends Event {
  static get eventName(): 'pat-refresh' {
    return 'pat-refresh';
  }
  constructor() {
    super(PatRefreshEvent.eventName, init);
  }
}

/** Something failed; `message` is already shown to the user, this is for host logging. */
export class PatErrorEvent extends Event {
  static get eventName(): 'pat-error' {
    return 'pat-error';
  }
  readonly detail: { code: string; message: string };
  constructor(code: string, message: string) {
    super(PatErrorEvent.eventName, init);
    this.detail = { code, message };
  }
}

/** Draft a wizard is about to submit (no password, no secret). Cancel to veto or to submit yourself. */
export class PatWizardSubmitEvent extends Event {
  static get eventName(): 'pat-wizard-submit' {
    return 'pat-wizard-submit';
  }
  readonly detail: {
    mode: 'create' | 'edit';
    tokenId: string | null;
    draft: {
      name: string;
      description: string;
      expires_at: string | null | undefined;
      scopes: string[];
      owner_id: string | undefined;
      /** Fine-grained fields, present only where the server has them (see `ProviderCapabilities`). */
      resources?: ResourceRef[];
      allowed_ips?: string[];
      not_before?: string | null;
      template_id?: string;
      justification?: string;
    };
  };
  constructor(detail: PatWizardSubmitEvent['detail']) {
    super(PatWizardSubmitEvent.eventName, { ...init, cancelable: true });
    this.detail = detail;
  }
}

/** A token was created, edited, regenerated or cloned. Metadata only. */
export class PatTokenSavedEvent extends Event {
  static get eventName(): 'pat-token-saved' {
    return 'pat-token-saved';
  }
  readonly detail: { mode: 'create' | 'edit' | 'regenerate' | 'clone'; token: TokenMeta };
  constructor(detail: PatTokenSavedEvent['detail']) {
    super(PatTokenSavedEvent.eventName, init);
    this.detail = detail;
  }
}

/** The wizard was closed without saving. */
export class PatWizardCancelEvent extends Event {
  static get eventName(): 'pat-wizard-cancel' {
    return 'pat-wizard-cancel';
  }
  constructor() {
    super(PatWizardCancelEvent.eventName, init);
  }
}

/** The reveal dialog is about to leave the acknowledged state; cancel to keep it open. */
export class PatRequestCloseEvent extends Event {
  static get eventName(): 'pat-request-close' {
    return 'pat-request-close';
  }
  readonly detail: { source: 'escape' | 'close-button' | 'navigation' };
  constructor(source: PatRequestCloseEvent['detail']['source']) {
    super(PatRequestCloseEvent.eventName, { ...init, cancelable: true });
    this.detail = { source };
  }
}

/** The secret was acknowledged and is gone from the DOM and from memory. */
export class PatRevealClosedEvent extends Event {
  static get eventName(): 'pat-reveal-closed' {
    return 'pat-reveal-closed';
  }
  readonly detail: { tokenId: string | null };
  constructor(tokenId: string | null) {
    super(PatRevealClosedEvent.eventName, init);
    this.detail = { tokenId };
  }
}

/** Copy or download of a secret finished; `ok` false when the clipboard refused. */
export class PatSecretCopiedEvent extends Event {
  static get eventName(): 'pat-secret-copied' {
    return 'pat-secret-copied';
  }
  readonly detail: { method: 'clipboard' | 'download'; ok: boolean };
  constructor(detail: PatSecretCopiedEvent['detail']) {
    super(PatSecretCopiedEvent.eventName, init);
    this.detail = detail;
  }
}

/** Fired before a user is deactivated or reactivated; cancel to veto. */
export class PatRequestUserActiveEvent extends Event {
  static get eventName(): 'pat-request-user-active' {
    return 'pat-request-user-active';
  }
  readonly detail: { userId: string; active: boolean };
  constructor(detail: PatRequestUserActiveEvent['detail']) {
    super(PatRequestUserActiveEvent.eventName, { ...init, cancelable: true });
    this.detail = detail;
  }
}

/** A user's roles or active state were saved. */
export class PatUserUpdatedEvent extends Event {
  static get eventName(): 'pat-user-updated' {
    return 'pat-user-updated';
  }
  readonly detail: { user: User; change: 'roles' | 'active' };
  constructor(detail: PatUserUpdatedEvent['detail']) {
    super(PatUserUpdatedEvent.eventName, init);
    this.detail = detail;
  }
}

/** An approver approved a token request (`<pat-token-requests>`); `detail.token` is the token now (metadata only). */
export class PatRequestApprovedEvent extends Event {
  static get eventName(): 'pat-request-approved' {
    return 'pat-request-approved';
  }
  readonly detail: { token: TokenMeta };
  constructor(token: TokenMeta) {
    super(PatRequestApprovedEvent.eventName, init);
    this.detail = { token };
  }
}

/** An approver denied a token request (`<pat-token-requests>`); `detail.token.approval.reason` says why. */
export class PatRequestDeniedEvent extends Event {
  static get eventName(): 'pat-request-denied' {
    return 'pat-request-denied';
  }
  readonly detail: { token: TokenMeta };
  constructor(token: TokenMeta) {
    super(PatRequestDeniedEvent.eventName, init);
    this.detail = { token };
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'pat-request-action': PatRequestActionEvent;
    'pat-token-action': PatTokenActionEvent;
    'pat-selection-change': PatSelectionChangeEvent;
    'pat-refresh': PatRefreshEvent;
    'pat-error': PatErrorEvent;
    'pat-wizard-submit': PatWizardSubmitEvent;
    'pat-token-saved': PatTokenSavedEvent;
    'pat-wizard-cancel': PatWizardCancelEvent;
    'pat-request-close': PatRequestCloseEvent;
    'pat-reveal-closed': PatRevealClosedEvent;
    'pat-secret-copied': PatSecretCopiedEvent;
    'pat-request-user-active': PatRequestUserActiveEvent;
    'pat-user-updated': PatUserUpdatedEvent;
    'pat-request-approved': PatRequestApprovedEvent;
    'pat-request-denied': PatRequestDeniedEvent;
  }
}
