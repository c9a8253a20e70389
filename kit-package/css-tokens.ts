/**
 * What each global `--pat-*` design token does, for custom-elements.json. Every component reads
 * these through its shared base styles, so they are described once here instead of in each class's
 * JSDoc; a component's own `@cssproperty` line wins where it has one. Defaults are not written
 * here: the manifest takes them from the styles' `var(--pat-x, default)` fallbacks.
 * The manifest test fails when a style reads a `--pat-*` property that nobody describes.
 */
export const TOKEN_DESCRIPTIONS: Readonly<Record<string, string>> = {
  '--pat-accent': 'Accent: primary buttons, focus ring, selection.',
  '--pat-accent-fg': 'Text on the accent (primary buttons). By default black or white, whichever reads on `--pat-accent`, so a custom accent needs no foreground; set it only to choose another colour.',
  '--pat-accent-text': 'The accent used as text (links, the stepper\'s ticks). By default the accent\'s hue kept dark on light and light on dark, so it reads on the component\'s background.',
  '--pat-color-bg': 'Background the component paints.',
  '--pat-color-fg': 'Text colour.',
  '--pat-color-muted': 'Secondary text (hints, dates, counts).',
  '--pat-color-border': 'Borders of controls, rows and dialogs.',
  '--pat-color-surface': 'Raised surfaces: buttons, headers, menus.',
  '--pat-color-danger': 'Destructive actions and errors.',
  '--pat-color-danger-fg': 'Text on danger buttons. By default black or white, whichever reads on `--pat-color-danger`.',
  '--pat-color-warning': 'Warning text (expiring tokens).',
  '--pat-color-warning-bg': 'Background of warnings (the System Admin warning).',
  '--pat-color-success': 'Success messages (copied, saved).',
  '--pat-focus-ring': 'Focus indicator (a `box-shadow` value).',
  '--pat-radius': 'Corner radius.',
  '--pat-font-family': 'Font.',
  '--pat-font-size': 'Base font size; controls and text scale from it.',
  '--pat-font-mono': 'Font of token values and ids.',
  '--pat-space': 'Base spacing unit.',
  '--pat-transition': 'Duration of hover and focus transitions.',
  '--pat-list-height': 'Height of the list\'s scrolling body.',
  '--pat-list-row-height': 'Height of one list row (rows have a fixed height; the list windows them).',
  '--pat-list-selected-bg': 'Background of selected rows.',
};
