/**
 * Every English string the kit shows, in one object: the built-in `en` locale. Other languages are
 * locales registered with `registerLocale` (components/locales/de.ts); a component's `strings`
 * property (a partial object) overrides single strings over its locale's.
 * Strings quoted by the source documents (seeds 000, 001) are kept word for word.
 * Counts choose their word through `Intl.PluralRules`, so "1 token" and "2 tokens" both read right.
 */
const plural = new Intl.PluralRules('en');
/** `n` followed by the singular or plural word, as English plural rules say. */
const count = (n: number, one: string, other: string): string => `${n} ${plural.select(n) === 'one' ? one : other}`;

export const defaultStrings = {
  // token list
  listLabel: 'Personal access tokens',
  colName: 'Name',
  colOwner: 'Owner',
  colCreated: 'Created',
  colExpires: 'Expires',
  colLastUsed: 'Last used',
  colStatus: 'Status',
  colScopes: 'Access',
  colActions: 'Actions',
  filterText: 'Filter tokens',
  filterUser: 'User',
  filterUserAll: 'All users',
  filterStatus: 'Status',
  filterStatusAll: 'Any status',
  statusActive: 'Active',
  statusDisabled: 'Disabled',
  statusExpired: 'Expired',
  statusExpiring: 'Expiring soon',
  refresh: 'Refresh',
  selectAll: 'Select all tokens',
  selectRow: (name: string) => `Select ${name}`,
  selectedCount: (n: number) => `${n} selected`,
  bulkDelete: 'Delete selected',
  clearSelection: 'Clear selection',
  rowActions: (name: string) => `Actions for ${name}`,
  actionCopyId: 'Copy token ID',
  actionEdit: 'Edit',
  actionClone: 'Copy as new token',
  actionRegenerate: 'Regenerate',
  actionDisable: 'Disable',
  actionEnable: 'Enable',
  actionDelete: 'Delete',
  idCopied: 'Token ID copied.',
  idCopyFailed: (id: string) => `Could not copy. The token ID is ${id}.`,
  loading: 'Loading tokens…',
  /** Before a provider is set (and no `tokens` given): nothing to list yet, and no way to load. */
  notConnected: 'Not connected to a token server yet.',
  empty: 'No personal access tokens yet.',
  /** Empty list of an organisation's or group's tokens (they belong to the level, not a person). */
  emptyScoped: (name: string) => `No access tokens for ${name} yet.`,
  emptyFiltered: 'No tokens match these filters.',
  clearFilters: 'Clear filters',
  errorTitle: 'Tokens could not be loaded.',
  offline: 'You are offline. The list will refresh when the connection returns.',
  retry: 'Try again',
  never: 'Never',
  notUsed: 'Not used',
  allScopes: 'No scopes',
  /** An organisation or group token's own rights, e.g. "Platform team: group admin". */
  accessScoped: (name: string, kind: 'organization' | 'group', role: 'admin' | 'user') => `${name}: ${kind} ${role}`,
  scopesSummary: (n: number, first: string) => (n === 0 ? 'No scopes' : n === 1 ? first : `${first} +${n - 1}`),
  actionDetails: 'Details',
  actionEndGrace: 'End grace now',
  /** A rotating token: until when its previous value still works (`when` a date and time, `relative` e.g. "in 5 hours"). */
  graceUntil: (when: string, relative: string) => `Old value works until ${when} (${relative})`,
  graceEnded: 'The old value no longer works.',
  filterUnused: 'Unused for',
  filterUnusedAny: 'Any time',
  filterUnusedCustom: 'Other…',
  filterUnusedDays: 'Days',
  unusedDays: (d: number) => count(d, 'day', 'days'),
  actionDisableUnused: 'Disable unused…',
  unusedInvalid: 'Enter a number of days from 1 to 3650.',
  rowCount: (shown: number, total: number) => (shown === total ? count(total, 'token', 'tokens') : `${shown} of ${count(total, 'token', 'tokens')}`),
  // confirmations
  /** `name` is the token's name when exactly one token is deleted. */
  confirmDeleteTitle: (n: number, name?: string) => (n === 1 ? (name ? `Delete "${name}"?` : 'Delete this token?') : `Delete ${n} tokens?`),
  confirmDeleteBody: (n: number, name?: string) =>
    n === 1
      ? `${name ? `The token "${name}"` : 'The token'} is deleted permanently. Anything using it stops working at once.`
      : `The ${n} tokens are deleted permanently. Anything using them stops working at once.`,
  confirmDisableTitle: 'Disable this token?',
  /** The disable and enable questions for a token whose name is known. */
  confirmDisableTitleNamed: (name: string) => `Disable “${name}”?`,
  confirmEnableTitleNamed: (name: string) => `Enable “${name}”?`,
  confirmDisableBody: 'Requests with this token are refused until it is enabled again.',
  confirmRegenerateTitle: 'Regenerate this token?',
  regenerating: 'Regenerating…',
  confirmRegenerateBody: 'The current value stops working at once; a new value is shown once.',
  /** With a grace period on offer. */
  confirmRegenerateGraceBody: 'A new value is shown once. The current value stops working at once, or when the time you pick here is over.',
  graceLabel: 'Keep the old value working for',
  graceNone: 'None',
  graceFor: (seconds: number) =>
    seconds < 3600 ? count(Math.round(seconds / 60), 'minute', 'minutes') : seconds < 86_400 ? count(Math.round(seconds / 3600), 'hour', 'hours') : count(Math.round(seconds / 86_400), 'day', 'days'),
  confirmEndGraceTitle: 'End the grace period?',
  confirmEndGraceBody: (last4: string) => `The old value${last4 ? ` (…${last4})` : ''} stops working at once; only the new value works.`,
  confirmPasswordLabel: 'Password',
  confirmPasswordHelp: 'Enter your password to confirm this change.',
  cancel: 'Cancel',
  confirm: 'Confirm',
  done: 'Done',
  // wizard
  wizardCreateTitle: 'Create personal access token',
  wizardEditTitle: 'Edit personal access token',
  stepDetails: 'Details',
  stepExpiry: 'Expiry',
  stepAccess: 'Access',
  stepOwner: 'Owner',
  stepConfirm: 'Confirm',
  fieldName: 'Name',
  fieldDescription: 'Description',
  fieldNameRequired: 'Enter a name.',
  fieldDescriptionRequired: 'Enter a description.',
  expiryDays: (d: number) => (d === 365 ? '1 year' : count(d, 'day', 'days')),
  expiryCustom: 'Custom date',
  expiryNever: 'Never',
  expiryDate: 'Expires on',
  expiryDefault: (d: number) => `Server default (${count(d, 'day', 'days')})`,
  expiryMax: (d: number) => `Tokens may live at most ${count(d, 'day', 'days')}.`,
  expiryTooLate: (d: number) => `Pick a date at most ${count(d, 'day', 'days')} from today.`,
  expiryInPast: 'Pick a date in the future.',
  expiryNeverWarning: 'A token that never expires keeps working until someone deletes it.',
  accessPreset: 'Access',
  accessCustom: 'Custom (pick API methods)',
  accessSearch: 'Search API methods',
  accessOnlyChecked: 'Only checked',
  accessDocs: 'Docs',
  accessDocsFor: (id: string) => `for ${id}`,
  accessNone: 'Pick at least one API method.',
  accessCount: (n: number) => `${count(n, 'method', 'methods')} selected`,
  ownerLabel: 'Token for user',
  ownerSelf: 'Myself',
  ownerSearch: 'Search users',
  confirmSummary: 'Check the token before you create it.',
  confirmSummaryEdit: 'Check your changes before you save them.',
  adminWarning:
    'You are generating a personal access token with System Admin permissions. Are you sure want to create this token?',
  adminConfirm: 'Yes, Create',
  back: 'Back',
  next: 'Next',
  create: 'Create',
  save: 'Save',
  saving: 'Saving…',
  close: 'Close',
  regenerateLink: 'Regenerate token',
  // reveal
  revealTitle: 'Your new personal access token',
  revealTitleScoped: (kind: 'organization' | 'group') => `Your new ${kind} access token`,
  revealIntro: "Copy the access token now and store it in a secure location. You won't be able to see it again!",
  revealValueLabel: 'Access token',
  copy: 'Copy',
  copied: 'Copied to the clipboard.',
  copyFailed: 'The clipboard is not available. The token is selected: press Ctrl+C (or ⌘C) to copy it.',
  download: 'Download',
  downloaded: 'Saved as a text file.',
  revealConfirmTitle: 'Did you copy the token?',
  revealConfirm:
    "Make sure you have copied and saved the access token below. You won't be able to see it again!",
  revealAcknowledge: 'Yes, I have copied the token',
  revealBack: 'Back',
  /** After a regenerate with a grace period. */
  revealGrace: (when: string) => `The old value keeps working until ${when}; switch your automation over before then.`,
  // roles
  rolesTitle: 'Users and roles',
  rolesSearch: 'Search users',
  rolesFor: (name: string) => `Roles of ${name}`,
  rolesSave: 'Save',
  rolesSaved: (name: string) => `Saved roles of ${name}.`,
  rolesNoUsers: 'No users match.',
  rolesLoading: 'Loading users…',
  rolesMore: 'More users',
  /** A user's roles that this server does not let patkit manage: sent back unchanged on Save. */
  rolesKept: (roles: string) => `Also holds ${roles} (kept as they are; not managed here).`,
  userInactive: 'Deactivated',
  userActive: 'Active',
  userTechnical: 'Technical user',
  deactivate: 'Deactivate',
  reactivate: 'Reactivate',
  deactivateSelf: 'Your own account: only another admin can deactivate it.',
  confirmDeactivateTitle: (name: string) => `Deactivate ${name}?`,
  confirmDeactivateBody:
    'The user cannot sign in and their tokens stop working at once. Reactivating the user restores the tokens.',
  userDeactivated: (name: string) => `${name} is deactivated.`,
  userReactivated: (name: string) => `${name} is active again.`,
  // manager
  managerCreate: 'Create token',
  featureDisabled: 'Personal access tokens are disabled on this server.',
  signedOut: 'You are signed out. Sign in to see and create your tokens.',
  createNotAllowed: 'You cannot create tokens on this server.',
  // organisation and group tokens (worded after the "Manage Access Tokens" document)
  scopedActionDisable: 'Revoke Token',
  scopedActionDelete: 'Delete Token',
  scopedConfirmDisableTitle: 'Revoke this token?',
  scopedConfirmDisableBody: 'Revoking temporarily disables the token: requests with it are refused until it is enabled again.',
  // wizard stepper
  stepsLabel: 'Steps',
} as const;

/** The strings of the "Create Access Token" form (organisation and group tokens). */
export interface ScopedTokenStrings {
  title: string;
  name: string;
  expiry: string;
  adminRole: string;
  scopeAdmin: (kind: 'organization' | 'group') => string;
  scopeUser: (kind: 'organization' | 'group') => string;
  password: string;
  create: string;
  cancel: string;
  nameRequired: string;
  expiryRequired: string;
  expiryTooLate: (days: number) => string;
  passwordRequired: string;
}

/** English defaults of the "Create Access Token" form. */
export const defaultScopedStrings: ScopedTokenStrings = {
  title: 'Create access token',
  name: 'Token name',
  expiry: 'Expiration date',
  adminRole: 'Admin role: give this token the admin role of its level',
  scopeAdmin: (kind: 'organization' | 'group') => (kind === 'organization' ? 'Will have organization admin scope.' : 'Will have group admin scope.'),
  scopeUser: (kind: 'organization' | 'group') => (kind === 'organization' ? 'Will have organization user scope.' : 'Will have group user scope.'),
  password: 'Your password',
  create: 'Create',
  cancel: 'Cancel',
  nameRequired: 'Enter a token name.',
  expiryRequired: 'Choose an expiration date in the future.',
  expiryTooLate: (days: number) => `Tokens on this server live at most ${count(days, 'day', 'days')}.`,
  passwordRequired: 'Enter your password to create this token.',
};

type Widen<T> = T extends string ? string : T;
/** The shape of the strings; override any subset through `strings`. */
export type PatStrings = { [K in keyof typeof defaultStrings]: Widen<(typeof defaultStrings)[K]> };

/** Defaults merged with a host's overrides. */
export function mergeStrings(overrides: Partial<PatStrings> | undefined): PatStrings {
  return { ...defaultStrings, ...(overrides ?? {}) } as PatStrings;
}
