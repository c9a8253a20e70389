import { css } from 'lit';

/** Form layout the kit's forms share: a labelled field on its own lines, a radio or checkbox beside its label. */
export const formStyles = css`
  .field {
    display: grid;
    gap: 0.25rem;
  }
  .choice {
    display: flex;
    align-items: center;
    gap: 0.5rem;
  }
`;
