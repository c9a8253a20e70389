import { css } from 'lit';

export const revealDialogStyles = css`
  :host {
    display: contents;
  }
  .secret {
    display: block;
    margin: var(--_space) 0;
    padding: calc(var(--_space) * 1.5);
    border: 1px dashed var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    font-family: var(--pat-font-mono, ui-monospace, 'SFMono-Regular', Menlo, monospace);
    font-size: 0.95em;
    word-break: break-all;
    user-select: all;
  }
  .warning {
    padding: var(--_space);
    border-radius: var(--_radius);
    background: var(--_warning-bg);
  }
  /* The copy outcome sits beside Copy / Download, so no empty line waits above Close. */
  .status {
    flex: 1;
    align-self: center;
    margin: 0;
  }
  .status.failed {
    color: var(--_danger);
  }
  .tools {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
  }
`;
