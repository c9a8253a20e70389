/**
 * English strings of the organisation / group "Create access token" form: part of the built-in `en`
 * locale (components/shared/locale.ts), re-exported for hosts by components/shared/strings.ts.
 */
import { count } from '../shared/plural.ts';

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
