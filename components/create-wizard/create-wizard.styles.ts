import { css } from 'lit';

export const createWizardStyles = css`
  h2 {
    margin: 0 0 var(--_space);
    font-size: 1.15em;
  }
  [part='steps'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem var(--_space);
    margin: 0 0 calc(var(--_space) * 2);
    padding: 0;
    list-style: none;
    counter-reset: step;
    color: var(--_muted);
    font-size: 0.85em;
  }
  [part='steps'] li::before {
    counter-increment: step;
    content: counter(step) '. ';
  }
  [part='steps'] li[aria-current='step'] {
    color: var(--_fg);
    font-weight: 600;
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
  .field {
    display: grid;
    gap: 0.25rem;
  }
  .choice {
    display: flex;
    align-items: center;
    gap: 0.5rem;
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
  .footer .spacer {
    flex: 1;
  }
`;
