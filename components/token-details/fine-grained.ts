/**
 * The details view's fine-grained sections: the approval request (waiting, approved or denied with
 * the reason), the resources the token is bounded to, its allowed addresses, when it becomes
 * valid, and "Lifetime exceeds policy" with the way out (regenerate with a compliant expiry).
 * Loaded with the details view, never with the list.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { TokenMeta } from '../../lib/model.ts';
import type { ProviderCapabilities } from '../../lib/provider.ts';
import { allowedIps, notYetValid, resourceChips } from '../shared/token-bounds.ts';
import type { DetailsStrings } from './token-details.strings.ts';

export interface FineGrainedView {
  s: DetailsStrings;
  caps: ProviderCapabilities;
  now: number;
  date(iso: string | null, fallback: string, withTime?: boolean): string;
  relative(iso: string): string;
  /** Starts the regenerate with a compliant expiry; absent where nobody can regenerate. */
  regenerate: (() => void) | null;
}

/** Facts for the `<dl>`: not-before and the allowed addresses (only where the token or the server has them). */
export function boundsFacts(v: FineGrainedView, token: TokenMeta, fact: (label: string, value: unknown) => TemplateResult): TemplateResult {
  const { s } = v;
  const ips = token.allowed_ips;
  return html`${token.not_before ? fact(s.detailsNotBefore, v.date(token.not_before, '—', true)) : nothing}
  ${ips?.length || v.caps.allowedIps ? fact(s.detailsAllowedIps, ips?.length ? html`<div part="allowed-ips">${allowedIps(token)}</div>` : s.detailsAnyAddress) : nothing}`;
}

/** The notices above the facts: not yet valid, lifetime over the policy (with Regenerate…). */
export function notices(v: FineGrainedView, token: TokenMeta): TemplateResult {
  const { s } = v;
  return html`${notYetValid(token, v.now) ? html`<p class="notice" part="not-before">${s.detailsNotYetValid(v.date(token.not_before!, '', true), v.relative(token.not_before!))}</p>` : nothing}
  ${token.lifetime_exceeds_policy
    ? html`<div class="notice danger" part="lifetime-policy" role="note" aria-labelledby="lifetime-title">
        <strong id="lifetime-title">${s.detailsLifetimeTitle}</strong>
        <p>${s.detailsLifetimeBody(v.caps.expiry.maxLifetimeDays)}</p>
        ${v.regenerate ? html`<button type="button" part="regenerate" @click=${v.regenerate}>${s.detailsRegenerate}</button>` : nothing}
      </div>`
    : nothing}`;
}

/** The resources section (where the token has some, or the server has resources at all). */
export function resourcesSection(v: FineGrainedView, token: TokenMeta): TemplateResult | typeof nothing {
  const { s } = v;
  if (!token.resources?.length && !v.caps.resources) return nothing;
  return html`<h3 id="resources">${s.detailsResources}</h3>
    <div part="resources">${resourceChips(token, s.detailsAllResources, 'resources')}</div>`;
}

/** The approval request: who decided, when and why; the requester's justification. */
export function approvalSection(v: FineGrainedView, token: TokenMeta): TemplateResult | typeof nothing {
  const approval = token.approval;
  if (!approval) return nothing;
  const { s } = v;
  const who = approval.decided_by?.username ?? '—';
  const when = v.date(approval.decided_at, '—', true);
  const line =
    approval.state === 'pending' ? s.detailsPending(v.date(approval.requested_at, '—', true)) : approval.state === 'approved' ? s.detailsApproved(who, when) : s.detailsDenied(who, when);
  return html`<section part="approval" aria-labelledby="approval">
    <h3 id="approval">${s.detailsApproval}</h3>
    <p class=${approval.state === 'denied' ? 'error-text' : ''}>${line}</p>
    ${approval.state === 'denied' && approval.reason ? html`<p><strong>${s.detailsReason}:</strong> <span part="reason">${approval.reason}</span></p>` : nothing}
    ${approval.justification ? html`<p><strong>${s.detailsJustification}:</strong> ${approval.justification}</p>` : nothing}
  </section>`;
}
