/**
 * Short English words several components share (buttons): the base of every component's English strings.
 * One part of `defaultStrings` (components/shared/strings.ts): a component's entry carries only
 * the parts it shows.
 */
export const commonStrings = {
  cancel: 'Cancel',
  confirm: 'Confirm',
  done: 'Done',
  back: 'Back',
  next: 'Next',
  create: 'Create',
  save: 'Save',
  saving: 'Saving…',
  close: 'Close',
} as const;
