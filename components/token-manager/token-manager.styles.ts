import { css } from 'lit';

export const tokenManagerStyles = css`
  /* The manager paints its own surface (forced dark on a light page too): keep content off its edge. */
  :host {
    padding: calc(var(--_space) * 1.5);
    border-radius: var(--_radius);
  }
  [part='header'] {
    display: flex;
    align-items: center;
    gap: var(--_space);
    margin-bottom: var(--_space);
  }
  [part='header'] h2 {
    margin: 0;
    font-size: 1.15em;
    flex: 1;
  }
  [part='header'] .spacer {
    flex: 1;
  }
  [part='wizard-dialog'] {
    max-width: min(44rem, calc(100vw - 2rem));
  }
  [part='message'] {
    margin: 0 0 var(--_space);
  }
`;
