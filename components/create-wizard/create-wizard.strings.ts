/**
 * English strings of the create / edit wizard.
 * One part of `defaultStrings` (components/shared/strings.ts): a component's entry carries only
 * the parts it shows.
 */
import { count } from '../shared/plural.ts';

export const wizardStrings = {
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
  regenerateLink: 'Regenerate token',
  stepsLabel: 'Steps',
} as const;
