import { html, type TemplateResult } from 'lit';
import type { User } from '../../lib/model.ts';
import { fieldError, invalid, valueOf, type StepView } from './step-view.ts';

/** For admins who may create tokens for others: whose token it is (the signed-in user by default). */
export function ownerStep(v: StepView, users: readonly User[], currentUser: User | null): TemplateResult {
  const { s, fields, errors } = v;
  const q = fields.ownerSearch.trim().toLowerCase();
  const shown = users.filter(
    (u) => u.active && u.id !== currentUser?.id && (!q || u.username.toLowerCase().includes(q) || u.display_name.toLowerCase().includes(q)),
  );
  return html`<fieldset>
    <legend>${s.stepOwner}</legend>
    <label class="field"
      >${s.ownerSearch}
      <input type="search" .value=${fields.ownerSearch} @input=${(e: InputEvent) => v.set({ ownerSearch: valueOf(e) })} />
    </label>
    <label class="field"
      >${s.ownerLabel}
      <select name="owner_id" aria-invalid=${invalid(errors, 'owner_id')} @change=${(e: Event) => v.set({ ownerId: valueOf(e) })}>
        <option value="" ?selected=${fields.ownerId === ''}>${s.ownerSelf}${currentUser ? ` (${currentUser.username})` : ''}</option>
        ${shown.map((u) => html`<option value=${u.id} ?selected=${fields.ownerId === u.id}>${u.display_name || u.username} (${u.username})</option>`)}
      </select>
      ${fieldError(errors, 'owner_id')}
    </label>
  </fieldset>`;
}
