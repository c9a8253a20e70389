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
  .spinner {
    display: inline-block;
    width: 0.9em;
    height: 0.9em;
    margin-right: 0.4em;
    vertical-align: -0.1em;
    border: 2px solid currentColor;
    border-right-color: transparent;
    border-radius: 50%;
    animation: pat-spin 0.8s linear infinite;
  }
  @keyframes pat-spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation-duration: 2.4s;
    }
  }
  label {
    display: grid;
    gap: 0.25rem;
    margin-top: var(--_space);
  }
`;
