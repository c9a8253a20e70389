/**
 * Where a fine-grained token may act, as templates the details view and the requests view share
 * (both loaded on first use, so the list every page loads carries none of it): its resources as
 * chips (type and name), its allowed client addresses, and the time it becomes valid. The callers
 * wrap them in their own `part`s (the manifest reads parts from each component's own files).
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import type { ResourceRef, TokenMeta } from '../../lib/model.ts';

/** A resource's label: its name when the server gave one, else its id. */
export function resourceLabel(ref: ResourceRef): string {
  return ref.name || ref.id;
}

/** The token's resources as chips, labelled by `labelId`; `[]` or absent: everything its owner can reach, said as `allResources`. */
export function resourceChips(token: TokenMeta, allResources: string, labelId: string): TemplateResult {
  const resources = token.resources ?? [];
  if (resources.length === 0) return html`<span class="muted">${allResources}</span>`;
  return html`<ul class="chips" aria-labelledby=${labelId}>
    ${resources.map(
      (r) => html`<li class="chip" title=${`${r.type}: ${r.id}`}><span class="chip-type">${r.type}</span> <span class="chip-name">${resourceLabel(r)}</span></li>`,
    )}
  </ul>`;
}

/** The allowed addresses (CIDR ranges or single addresses), or nothing when any address may use it. */
export function allowedIps(token: TokenMeta): TemplateResult | typeof nothing {
  const ips = token.allowed_ips ?? [];
  if (ips.length === 0) return nothing;
  return html`<ul class="ips">${ips.map((ip) => html`<li><code>${ip}</code></li>`)}</ul>`;
}

/** True while the token's `not_before` is still ahead: it works only from then on. */
export function notYetValid(token: TokenMeta, now: number): boolean {
  return !!token.not_before && Date.parse(token.not_before) > now;
}

export const boundsStyles = css`
  .chips {
    display: flex;
    flex-wrap: wrap;
    gap: 0.375rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .chip {
    display: inline-flex;
    align-items: baseline;
    gap: 0.25rem;
    padding: 0.125rem 0.5rem;
    border: 1px solid var(--_border);
    border-radius: 999px;
    font-size: 0.875em;
  }
  .chip-type {
    color: var(--_muted);
    font-size: 0.85em;
  }
  .ips {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.75rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }
`;
