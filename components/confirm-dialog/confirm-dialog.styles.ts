import { css } from 'lit';

export const confirmDialogStyles = css`
  :host {
    display: contents;
  }
  .body {
    margin: 0 0 var(--_space);
  }
  .items {
    max-height: 12rem;
    overflow: auto;
    margin: 0;
    padding-left: 1.25rem;
  }
  label {
    display: grid;
    gap: 0.25rem;
    margin-top: var(--_space);
  }
`;
