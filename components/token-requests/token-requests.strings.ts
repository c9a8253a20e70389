/**
 * English strings of `<pat-token-requests>` (the approvers' view). They ship with its own code, not
 * with the list every page loads; a locale adds its translation as `PatLocale.requests`
 * (components/locales/de.ts).
 */
const plural = new Intl.PluralRules('en');
const count = (n: number, one: string, other: string): string => `${n} ${plural.select(n) === 'one' ? one : other}`;

export const defaultRequestsStrings = {
  requestsLabel: 'Token requests',
  requestsShow: 'Show',
  requestsPending: 'Pending',
  requestsApproved: 'Approved',
  requestsDenied: 'Denied',
  requestsRefresh: 'Refresh',
  requestsLoading: 'Loading requests…',
  requestsError: 'Requests could not be loaded.',
  requestsRetry: 'Try again',
  /** No provider and no `requests` set yet. */
  requestsNotConnected: 'Not connected to a token server yet.',
  requestsEmptyPending: 'No requests are waiting for a decision.',
  requestsEmptyApproved: 'No approved requests.',
  requestsEmptyDenied: 'No denied requests.',
  requestsMore: 'More requests',
  requestsSelect: (name: string) => `Select ${name}`,
  requestsSelectAll: 'Select all pending requests',
  requestsSelected: (n: number) => `${n} selected`,
  requestsClear: 'Clear selection',
  requestsRequester: 'Requested by',
  requestsRequestedAt: 'Requested',
  requestsJustification: 'Justification',
  requestsNoJustification: 'No justification given.',
  requestsScopes: 'Access',
  requestsNoScopes: 'No scopes',
  requestsResources: 'Resources',
  requestsAllResources: 'Everything the owner can reach',
  requestsAllowedIps: 'Allowed addresses',
  requestsNotBefore: 'Not valid before',
  requestsExpires: 'Expires',
  requestsNever: 'Never',
  requestsDecidedBy: (who: string, when: string) => `Decided by ${who} on ${when}`,
  requestsReason: 'Reason',
  approve: 'Approve',
  approveNamed: (name: string) => `Approve ${name}`,
  deny: 'Deny…',
  denyNamed: (name: string) => `Deny ${name}`,
  approveSelected: 'Approve selected',
  denySelected: 'Deny selected…',
  denyTitle: (n: number, name?: string) => (n === 1 && name ? `Deny “${name}”?` : `Deny ${count(n, 'request', 'requests')}?`),
  denyBody: 'The token never works. The requester sees your reason.',
  denyReason: 'Reason',
  denyReasonRequired: 'Enter a reason.',
  denyReasonTooLong: 'Keep the reason to 500 characters or fewer.',
  denyConfirm: 'Deny',
  denyCancel: 'Cancel',
  approved: (name: string) => `Approved ${name}.`,
  denied: (name: string) => `Denied ${name}.`,
  approvedMany: (n: number) => `Approved ${count(n, 'request', 'requests')}.`,
  deniedMany: (n: number) => `Denied ${count(n, 'request', 'requests')}.`,
  someFailed: (n: number, message: string) => `${count(n, 'request', 'requests')} could not be changed: ${message}`,
} as const;

type Widen<T> = T extends string ? string : T;
/** The requests view's strings; override any subset through the component's `strings`. */
export type RequestsStrings = { [K in keyof typeof defaultRequestsStrings]: Widen<(typeof defaultRequestsStrings)[K]> };
