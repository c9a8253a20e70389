/**
 * English strings of the confirmations (delete, disable, regenerate, grace period, password).
 * One part of `defaultStrings` (components/shared/strings.ts): a component's entry carries only
 * the parts it shows.
 */
import { count } from './plural.ts';

export const confirmStrings = {
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
} as const;
