/**
 * English strings of the one-time reveal dialog.
 * One part of `defaultStrings` (components/shared/strings.ts): a component's entry carries only
 * the parts it shows.
 */
export const revealStrings = {
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
} as const;
