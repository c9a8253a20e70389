/**
 * Design tokens and control styles every component shares. Each component's `:host` maps its own
 * properties onto global `--pat-*` tokens, so a host themes everything at once (`--pat-accent`)
 * or one component alone. Light and dark follow `prefers-color-scheme` wherever the host page
 * declares `color-scheme: light dark` (see the note in :host); `forced-colors` keeps
 * controls visible in Windows high contrast; `prefers-reduced-motion` drops transitions.
 *
 * Readable with any accent: `--_accent-fg` (text on the accent) is black or white, whichever reads
 * better on the accent in use (its CIE lightness against 49.44, where black and white contrast the
 * same), so a custom `--pat-accent` needs no `--pat-accent-fg`; `--_danger-fg` likewise.
 * `--_accent-text` (the accent as text: links, the stepper's ticks) is the same hue made dark
 * enough on a light background and light enough on a dark one. Each component paints its own
 * surface (`background` on `:host`), so a scheme forced on it (`color-scheme: dark`) reads on any
 * page. light-dark() follows the color-scheme in effect: a page that declares
 * "color-scheme: light dark" gets the dark values under prefers-color-scheme: dark, a light-only
 * page keeps light widgets (no light text on its white background), and a host can force a scheme
 * per element with "color-scheme: dark". (Comments go here, not into the css template, which
 * ships as written.)
 */
import { css } from 'lit';

export const baseStyles = css`
  :host {
    --_bg: var(--pat-color-bg, light-dark(#ffffff, #0d1117));
    --_fg: var(--pat-color-fg, light-dark(#1b1f24, #e6edf3));
    --_muted: var(--pat-color-muted, light-dark(#57606a, #9da7b3));
    --_border: var(--pat-color-border, light-dark(#d0d7de, #3d444d));
    --_surface: var(--pat-color-surface, light-dark(#f6f8fa, #161b22));
    --_accent: var(--pat-accent, light-dark(#0b5cd5, #4c9aff));
    --_accent-fg: var(--pat-accent-fg, lch(from var(--_accent) calc((49.44 - l) * infinity) 0 0));
    --_accent-text: var(
      --pat-accent-text,
      light-dark(oklch(from var(--_accent) min(l, 0.5) c h), oklch(from var(--_accent) max(l, 0.78) c h))
    );
    --_danger: var(--pat-color-danger, light-dark(#b42318, #ff7b72));
    --_danger-fg: var(--pat-color-danger-fg, lch(from var(--_danger) calc((49.44 - l) * infinity) 0 0));
    --_warning-bg: var(--pat-color-warning-bg, light-dark(#fff4d6, #3b2e00));
    --_success: var(--pat-color-success, light-dark(#116329, #56d364));
    --_focus: var(--pat-focus-ring, 0 0 0 3px color-mix(in srgb, var(--_accent) 45%, transparent));
    --_radius: var(--pat-radius, 6px);
    --_font: var(--pat-font-family, system-ui, -apple-system, 'Segoe UI', sans-serif);
    --_font-size: var(--pat-font-size, 0.875rem);
    --_space: var(--pat-space, 0.5rem);
    --_speed: var(--pat-transition, 120ms);
    display: block;
    box-sizing: border-box;
    background: var(--_bg);
    color: var(--_fg);
    font-family: var(--_font);
    font-size: var(--_font-size);
    line-height: 1.45;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  button {
    display: inline-flex;
    align-items: center;
    gap: 0.25rem;
    min-height: 2rem;
    padding: 0 0.75rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    cursor: pointer;
    transition: background var(--_speed), border-color var(--_speed);
  }
  button:hover:not(:disabled) {
    border-color: var(--_muted);
  }
  button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-fg);
  }
  button.danger {
    background: var(--_danger);
    border-color: var(--_danger);
    color: var(--_danger-fg);
  }
  button.link {
    border: none;
    background: none;
    padding: 0;
    min-height: auto;
    color: var(--_accent-text);
    text-decoration: underline;
  }
  input:not([type='checkbox']):not([type='radio']),
  select,
  textarea {
    min-height: 2rem;
    padding: 0.25rem 0.5rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
  }
  input[type='checkbox'],
  input[type='radio'] {
    /* The accent as it reads on the background: a dark accent stays visible on a dark surface. */
    accent-color: var(--_accent-text);
    width: 1rem;
    height: 1rem;
    margin: 0;
  }
  :is(button, input, select, textarea, a, [tabindex]):focus-visible {
    outline: 2px solid transparent;
    box-shadow: var(--_focus);
  }
  a {
    color: var(--_accent-text);
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .error-text {
    color: var(--_danger);
  }
  .muted {
    color: var(--_muted);
  }
  dialog {
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 2);
    padding: calc(var(--_space) * 3);
    max-width: min(36rem, calc(100vw - 2rem));
    width: 100%;
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.45);
  }
  dialog h2 {
    margin: 0 0 var(--_space);
    font-size: 1.15em;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: var(--_space);
    margin-top: calc(var(--_space) * 2);
  }
  @media (forced-colors: active) {
    button,
    input,
    select,
    textarea {
      border: 1px solid ButtonText;
    }
    :is(button, input, select, textarea, a, [tabindex]):focus-visible {
      outline: 2px solid Highlight;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    :host {
      --_speed: 0ms;
    }
  }
`;
