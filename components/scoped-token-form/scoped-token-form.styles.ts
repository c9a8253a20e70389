import { css } from 'lit';

export const scopedTokenFormStyles = css`
  h2 {
    margin: 0 0 var(--_space);
    font-size: 1.15em;
  }
  form {
    display: grid;
    gap: var(--_space);
  }
  [part='scope-line'] {
    margin: 0;
    color: var(--_muted);
  }
  .footer {
    display: flex;
    align-items: center;
    gap: var(--_space);
    margin-top: var(--_space);
  }
  .footer .spacer {
    flex: 1;
  }
`;
