import { css } from 'lit';

export const tokenDetailsStyles = css`
  :host([modal]) {
    display: contents;
  }
  dialog {
    max-width: min(44rem, calc(100vw - 2rem));
    max-height: calc(100vh - 2rem);
  }
  h3 {
    margin: calc(var(--_space) * 2) 0 var(--_space);
    font-size: 1em;
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: calc(var(--_space) / 2) calc(var(--_space) * 2);
    margin: 0;
  }
  dt {
    color: var(--_muted);
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  ul {
    margin: 0;
    padding-left: 1.25rem;
  }
  code {
    font-family: var(--pat-font-mono, ui-monospace, 'SFMono-Regular', Menlo, monospace);
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    padding: 0.25rem 0.5rem 0.25rem 0;
    border-bottom: 1px solid var(--_border);
    text-align: left;
    vertical-align: top;
  }
  th {
    color: var(--_muted);
    font-weight: 600;
  }
  .notice {
    margin: var(--_space) 0;
    padding: var(--_space);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .notice.danger {
    border-color: var(--_danger);
  }
  .notice p {
    margin: 0.25rem 0 var(--_space);
  }
  [part='audit-more'] {
    margin-top: var(--_space);
  }
`;
