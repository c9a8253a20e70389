import { css } from 'lit';

export const confirmDialogStyles = css`
  :host {
    display: contents;
  }
  .body {
    margin: 0 0 var(--_space);
  }
  label {
    display: grid;
    gap: 0.25rem;
    margin-top: var(--_space);
  }
`;
