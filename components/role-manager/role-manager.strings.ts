/**
 * English strings of the role manager.
 * One part of `defaultStrings` (components/shared/strings.ts): a component's entry carries only
 * the parts it shows.
 */
export const rolesStrings = {
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
} as const;
