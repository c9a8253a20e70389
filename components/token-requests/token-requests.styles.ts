import { css } from 'lit';

export const tokenRequestsStyles = css`
  [part='toolbar'],
  [part='bulk-bar'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
    margin-bottom: var(--_space);
  }
  [part='toolbar'] label,
  .select-all {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
  }
  [part='requests'] {
    display: grid;
    gap: var(--_space);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  [part='request'] {
    padding: var(--_space) calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
  }
  .head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
  }
  .head h3 {
    margin: 0;
    font-size: 1em;
  }
  .badge {
    padding: 0 0.5rem;
    border: 1px solid currentColor;
    border-radius: 999px;
    font-size: 0.8em;
    color: var(--_muted);
  }
  .badge.denied {
    color: var(--_danger);
  }
  .badge.approved {
    color: var(--_success);
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.25rem calc(var(--_space) * 2);
    margin: var(--_space) 0 0;
  }
  dt {
    color: var(--_muted);
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  code {
    font-family: var(--pat-font-mono, ui-monospace, 'SFMono-Regular', Menlo, monospace);
  }
  .justification {
    margin: var(--_space) 0 0;
  }
  figcaption {
    color: var(--_muted);
  }
  blockquote {
    margin: 0.25rem 0 0;
    padding-left: var(--_space);
    border-left: 3px solid var(--_border);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .decision {
    margin: var(--_space) 0 0;
  }
  .row-actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
    margin-top: var(--_space);
  }
  [part='state'] {
    margin: var(--_space) 0;
  }
  [part='notice'] {
    margin: var(--_space) 0 0;
  }
  [part='notice']:empty {
    margin: 0;
  }
  [part='more'] {
    margin-top: var(--_space);
  }
  dialog {
    max-width: min(32rem, calc(100vw - 2rem));
  }
  .reason-label {
    display: block;
    margin-bottom: 0.25rem;
  }
  textarea {
    width: 100%;
    box-sizing: border-box;
  }
`;
