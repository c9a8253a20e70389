/**
 * English strings of the views loaded on first use: `<pat-token-details>`, the list's "Disable
 * unused…" flow and its regenerate of a token over the lifetime policy. They ship with that code,
 * not with the list every page loads; a locale adds its translation as `PatLocale.details`
 * (components/locales/de.ts).
 */
const plural = new Intl.PluralRules('en');
const count = (n: number, one: string, other: string): string => `${n} ${plural.select(n) === 'one' ? one : other}`;

export const defaultDetailsStrings = {
  // "Disable unused…" (components/token-list/disable-unused.ts, loaded on first use too)
  unusedNone: (d: number) => `No active tokens have gone unused for ${count(d, 'day', 'days')}.`,
  confirmDisableUnusedTitle: (n: number) => `Disable ${count(n, 'unused token', 'unused tokens')}?`,
  confirmDisableUnusedBody: (d: number) =>
    `Not used for ${count(d, 'day', 'days')} (never used: since created). Requests with them are refused until they are enabled again; a token used since this preview is spared.`,
  unusedDisabled: (n: number) => `${count(n, 'token', 'tokens')} disabled.`,
  /** A token in the admin preview: its name and its owner. */
  tokenOfOwner: (name: string, owner: string) => `${name} (${owner})`,
  // details

  detailsLabel: 'Token details',
  detailsId: 'ID',
  detailsOwner: 'Owner',
  detailsStatus: 'Status',
  detailsCreated: 'Created',
  detailsCreatedBy: 'Created by',
  detailsExpires: 'Expires',
  detailsLastUsed: 'Last used',
  detailsLast4: 'Value ends in',
  detailsScopes: 'Access',
  detailsRotation: 'Rotation',
  detailsNotRotating: 'Not rotating: only the current value works.',
  detailsPrevious: (last4: string) => `The previous value (…${last4}) still works.`,
  detailsRecentUses: 'Recent uses',
  detailsNoUses: 'Not used yet.',
  detailsAddress: 'Address',
  detailsWhen: 'When',
  detailsAudit: 'Activity',
  detailsAction: 'Event',
  detailsActor: 'By',
  auditLoading: 'Loading activity…',
  auditEmpty: 'No activity recorded for this token.',
  auditError: 'Activity could not be loaded.',
  auditMore: 'Show more',
  // fine-grained tokens
  detailsResources: 'Resources',
  detailsAllResources: 'Everything the owner can reach',
  detailsAllowedIps: 'Allowed addresses',
  detailsAnyAddress: 'Any address',
  detailsNotBefore: 'Not valid before',
  /** A not-before time still ahead: the token works nowhere until then. */
  detailsNotYetValid: (when: string, relative: string) => `Not valid before ${when} (${relative}).`,
  detailsApproval: 'Approval',
  detailsPending: (when: string) => `Waiting for an approver since ${when}. The token works nowhere until it is approved.`,
  detailsApproved: (who: string, when: string) => `Approved by ${who} on ${when}.`,
  detailsDenied: (who: string, when: string) => `Denied by ${who} on ${when}. The token never works.`,
  detailsJustification: 'Justification',
  detailsReason: 'Reason',
  detailsLifetimeTitle: 'Lifetime exceeds policy',
  detailsLifetimeBody: (maxDays: number | null) =>
    `This token lives longer than the server now allows${maxDays ? ` (at most ${count(maxDays, 'day', 'days')})` : ''}, so every use is refused. Regenerate it with an expiry within the policy.`,
  detailsRegenerate: 'Regenerate with a compliant expiry…',
  // the list's regenerate of a token over the lifetime policy (components/shared/token-actions.ts, loaded on first use)
  confirmRegenerateCompliantBody: (maxDays: number | null) =>
    `This token lives longer than the server now allows, so it is refused. Regenerating gives it a new value, shown once, and the expiry you pick here${maxDays ? ` (at most ${count(maxDays, 'day', 'days')} from now)` : ''}.`,
  regenerateExpiryLabel: 'New expiry',
  regenerateExpiryIn: (days: number) => `In ${count(days, 'day', 'days')}`,
} as const;

type Widen<T> = T extends string ? string : T;
/** The details view's strings; override any subset through the component's `strings`. */
export type DetailsStrings = { [K in keyof typeof defaultDetailsStrings]: Widen<(typeof defaultDetailsStrings)[K]> };
