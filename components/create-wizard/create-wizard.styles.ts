import { css } from 'lit';

/*
 * The stepper ([part='steps']): numbered circles joined by a line to the previous step (li + li::after);
 * done steps ticked in the accent, the current one filled.
 */

export const createWizardStyles = css`
  h2 {
    margin: 0 0 var(--_space);
    font-size: 1.15em;
  }
  [part='steps'] {
    display: flex;
    margin: 0 0 calc(var(--_space) * 2);
    padding: 0;
    list-style: none;
    counter-reset: step;
    color: var(--_muted);
    font-size: 0.85em;
  }
  [part='steps'] li {
    flex: 1 1 0;
    min-width: 0;
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 0.25rem;
    position: relative;
    text-align: center;
    overflow-wrap: anywhere;
  }
  [part='steps'] li::before {
    counter-increment: step;
    content: counter(step);
    display: grid;
    place-items: center;
    width: 1.75rem;
    height: 1.75rem;
    border: 2px solid var(--_border);
    border-radius: 50%;
    background: var(--_bg);
    color: var(--_muted);
    font-weight: 600;
    position: relative;
    z-index: 1;
  }
  [part='steps'] li + li::after {
    content: '';
    position: absolute;
    top: calc(0.875rem - 1px);
    right: calc(50% + 0.875rem);
    width: calc(100% - 1.75rem);
    height: 2px;
    background: var(--_border);
  }
  [part='steps'] li[data-state='done']::before {
    content: '✓';
    border-color: var(--_accent);
    color: var(--_accent-text);
  }
  [part='steps'] li[data-state='done'] + li::after,
  [part='steps'] li[data-state='done']::after {
    background: var(--_accent);
  }
  [part='steps'] li[aria-current='step'] {
    color: var(--_fg);
    font-weight: 600;
  }
  [part='steps'] li[aria-current='step']::before {
    border-color: var(--_accent);
    background: var(--_accent);
    color: var(--_accent-fg);
  }
  @media (forced-colors: active) {
    [part='steps'] li[aria-current='step']::before {
      background: Highlight;
      color: HighlightText;
    }
  }
  fieldset {
    border: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--_space);
  }
  legend {
    font-weight: 600;
    margin-bottom: var(--_space);
    padding: 0;
  }
  textarea {
    min-height: 4rem;
    resize: vertical;
  }
  [part='scope-list'] {
    max-height: 14rem;
    overflow: auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.25rem var(--_space);
    margin: 0;
    list-style: none;
  }
  [part='scope-list'] li {
    display: grid;
    grid-template-columns: auto 1fr auto;
    align-items: center;
    gap: 0.5rem;
    padding: 0.25rem 0;
  }
  [part='scope-list'] .scope-desc {
    display: block;
    color: var(--_muted);
    font-size: 0.85em;
  }
  .scope-tools {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
  }
  [part='admin-warning'] {
    padding: var(--_space);
    border: 1px solid var(--_danger);
    border-radius: var(--_radius);
    background: var(--_warning-bg);
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.25rem var(--_space);
    margin: 0;
  }
  dt {
    color: var(--_muted);
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  [part='form-error'] {
    margin: var(--_space) 0 0;
  }
  .footer {
    display: flex;
    align-items: center;
    gap: var(--_space);
    margin-top: calc(var(--_space) * 2);
  }
  .footer[hidden] {
    display: none;
  }
  .footer .spacer {
    flex: 1;
  }
  .resource-tools {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
  }
  [part='resource-results'],
  [part='resource-chips'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.5rem;
    margin: 0.25rem 0;
    padding: 0;
    list-style: none;
  }
  [part='resource-results'] {
    flex-direction: column;
  }
  [part='resource-chips'] .chip {
    display: inline-flex;
    align-items: center;
    gap: 0.25rem;
    padding: 0.125rem 0.25rem 0.125rem 0.5rem;
    border: 1px solid var(--_border);
    border-radius: 999px;
  }
  [part='resource-chips'] .chip button {
    min-width: 1.75rem;
    min-height: 1.75rem;
    border-radius: 999px;
  }
  [part='advanced'] summary {
    cursor: pointer;
    margin: var(--_space) 0 0.25rem;
  }
  [part='approval-notice'] {
    padding: var(--_space);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  [part='notice'][hidden] {
    display: none;
  }
`;
