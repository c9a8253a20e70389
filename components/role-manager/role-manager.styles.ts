import { css } from 'lit';

export const roleManagerStyles = css`
  [part='search'] {
    display: grid;
    gap: 0.25rem;
    max-width: 24rem;
    margin-bottom: var(--_space);
  }
  [part='users'] {
    display: grid;
    gap: var(--_space);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  [part='user'] {
    padding: var(--_space) calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
  }
  .user-head {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: var(--_space);
  }
  .user-head h3 {
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
  .badge.inactive {
    color: var(--_danger);
  }
  fieldset {
    border: none;
    margin: var(--_space) 0 0;
    padding: 0;
    display: grid;
    gap: 0.375rem;
  }
  legend {
    padding: 0;
    margin-bottom: 0.25rem;
    color: var(--_muted);
    font-size: 0.85em;
  }
  .role {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0 0.5rem;
  }
  .role-id {
    color: var(--_muted);
    font-size: 0.8em;
  }
  .kept {
    margin: 0.25rem 0 0;
    font-size: 0.85em;
  }
  [part='more'] {
    margin-top: var(--_space);
  }
  .switch {
    display: flex;
    align-items: center;
    gap: 0.5rem;
  }
  .switch input {
    appearance: none;
    position: relative;
    width: 2.25rem;
    height: 1.25rem;
    border-radius: 999px;
    background: var(--_border);
    cursor: pointer;
    flex: none;
    transition: background var(--_speed);
  }
  .switch input::after {
    content: '';
    position: absolute;
    top: 2px;
    left: 2px;
    width: calc(1.25rem - 4px);
    height: calc(1.25rem - 4px);
    border-radius: 50%;
    background: var(--_bg);
    transition: transform var(--_speed);
  }
  .switch input:checked {
    background: var(--_accent);
  }
  .switch input:checked::after {
    transform: translateX(1rem);
  }
  @media (forced-colors: active) {
    .switch input {
      border: 1px solid ButtonText;
    }
    .switch input:checked {
      background: Highlight;
    }
  }
  .row-actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
    margin-top: var(--_space);
  }
  .result {
    margin: 0;
  }
  .result.ok {
    color: var(--_success);
  }
`;
