/**
 * One token request as the approvers see it: the token's name, who asked and when, their
 * justification, the scopes, the resources and addresses it would be bounded to, its expiry; a
 * pending one with its checkbox and Approve / Deny…, a decided one with who decided, when and why.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { TokenMeta } from '../../lib/model.ts';
import { allowedIps, resourceChips } from '../shared/token-bounds.ts';
import type { RequestsStrings } from './token-requests.strings.ts';

export interface CardView {
  s: RequestsStrings;
  date(iso: string | null, fallback: string, withTime?: boolean): string;
  selected: boolean;
  busy: boolean;
  /** Show scopes (the server has them). */
  scopes: boolean;
  select(on: boolean): void;
  approve(): void;
  deny(): void;
}

/** The name a request goes by: the token's name, else its description, else its id. */
export function requestName(token: TokenMeta): string {
  return token.name || token.description || token.id;
}

function fact(label: string, value: unknown, labelId?: string): TemplateResult {
  return html`<dt id=${labelId ?? nothing}>${label}</dt>
    <dd>${value}</dd>`;
}

function decision(v: CardView, token: TokenMeta): TemplateResult | typeof nothing {
  const approval = token.approval;
  if (!approval || approval.state === 'pending') return nothing;
  const who = approval.decided_by?.username ?? '—';
  return html`<p class="decision" part="decision">
    ${v.s.requestsDecidedBy(who, v.date(approval.decided_at, '—', true))}${approval.reason
      ? html`<br /><strong>${v.s.requestsReason}:</strong> ${approval.reason}`
      : nothing}
  </p>`;
}

export function requestCard(v: CardView, token: TokenMeta): TemplateResult {
  const { s } = v;
  const name = requestName(token);
  const approval = token.approval;
  const pending = !approval || approval.state === 'pending';
  const headingId = `request-${token.id}`;
  const resourcesId = `resources-${token.id}`;
  const owner = token.owner.display_name && token.owner.display_name !== token.owner.username ? `${token.owner.display_name} (${token.owner.username})` : token.owner.username;
  const stateLabel = pending ? s.requestsPending : approval.state === 'approved' ? s.requestsApproved : s.requestsDenied;
  return html`<li part="request" class=${pending ? 'pending' : approval.state} data-id=${token.id} aria-labelledby=${headingId} aria-busy=${v.busy ? 'true' : 'false'}>
    <div class="head">
      ${pending
        ? html`<input type="checkbox" .checked=${v.selected} ?disabled=${v.busy} aria-label=${s.requestsSelect(name)} @change=${(e: Event) => v.select((e.target as HTMLInputElement).checked)} />`
        : nothing}
      <h3 id=${headingId}>${name}</h3>
      <span class="badge ${pending ? 'pending' : approval.state}">${stateLabel}</span>
    </div>
    <dl>
      ${fact(s.requestsRequester, owner)} ${fact(s.requestsRequestedAt, v.date(approval?.requested_at ?? token.created_at, '—', true))}
      ${fact(s.requestsExpires, v.date(token.expires_at, s.requestsNever, true))}
      ${token.not_before ? fact(s.requestsNotBefore, v.date(token.not_before, '—', true)) : nothing}
      ${v.scopes ? fact(s.requestsScopes, token.scopes.length ? html`<span class="scopes">${token.scopes.map((id) => html`<code>${id}</code> `)}</span>` : s.requestsNoScopes) : nothing}
      ${fact(
        s.requestsResources,
        html`<div part="resources">${resourceChips(token, s.requestsAllResources, resourcesId)}</div>`,
        resourcesId,
      )}
      ${token.allowed_ips?.length ? fact(s.requestsAllowedIps, html`<div part="allowed-ips">${allowedIps(token)}</div>`) : nothing}
    </dl>
    <figure class="justification">
      <figcaption>${s.requestsJustification}</figcaption>
      ${approval?.justification ? html`<blockquote part="justification">${approval.justification}</blockquote>` : html`<p class="muted">${s.requestsNoJustification}</p>`}
    </figure>
    ${decision(v, token)}
    ${pending
      ? html`<div class="row-actions">
          <button type="button" class="primary" part="approve" data-action="approve" aria-label=${s.approveNamed(name)} ?disabled=${v.busy} @click=${() => v.approve()}>${s.approve}</button>
          <button type="button" class="danger" part="deny" data-action="deny" aria-label=${s.denyNamed(name)} ?disabled=${v.busy} @click=${() => v.deny()}>${s.deny}</button>
        </div>`
      : nothing}
  </li>`;
}
