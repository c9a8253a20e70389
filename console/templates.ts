/**
 * The console's Token templates page (`#/templates`, admins with `settings:write`): the server's
 * templates in a table, a form to create one or edit one (name, description, scopes, expiry in
 * days, resources, allowed addresses), and Delete after a confirmation. Tokens made from a template
 * may only narrow it (the server checks). Server strings go in as text only (docs/security.md rule 21).
 */
import '../components/confirm-dialog/confirm-dialog.ts';
import type { PatConfirmDialog } from '../components/confirm-dialog/confirm-dialog.component.ts';
import { ProviderError } from '../lib/errors.ts';
import type { Scope, TokenTemplate } from '../lib/model.ts';
import type { TokenProvider } from '../lib/provider.ts';
import { requireOperation } from '../lib/providers/require-operation.ts';
import { dataTable, el, errorText } from './dom.ts';
import { resourcePicker, type ResourcePicker } from './resource-picker.ts';
import { templatesStrings } from './templates.strings.ts';

/** The nav item's name, in the language in effect. */
export const templatesTitle = (): string => templatesStrings().title;

/** What the form edits (the wire's template fields). */
type TemplateFields = Pick<TokenTemplate, 'name' | 'description' | 'scopes' | 'expires_in_days' | 'resources' | 'allowed_ips'>;

interface FormParts {
  form: HTMLFormElement;
  /** Fills the form with a template (edit) or empties it (new). */
  load(template: TokenTemplate | null): void;
}

function listCell(items: string[], empty: string): HTMLElement {
  return el('td', {}, items.length ? items.join(', ') : empty);
}

function templateRow(template: TokenTemplate, onEdit: () => void, onDelete: () => void): HTMLElement {
  const s = templatesStrings();
  const edit = el('button', { type: 'button', 'aria-label': s.editOf(template.name) }, s.edit);
  edit.addEventListener('click', onEdit);
  const remove = el('button', { type: 'button', class: 'danger', 'aria-label': s.deleteOf(template.name) }, s.delete);
  remove.addEventListener('click', onDelete);
  return el(
    'tr',
    { 'data-template': template.id },
    el('th', { scope: 'row' }, template.name),
    el('td', {}, template.description || '—'),
    listCell(template.scopes, '—'),
    el('td', {}, template.expires_in_days === null ? s.never : s.days(template.expires_in_days)),
    listCell(template.resources.map((r) => `${r.type}: ${r.name ?? r.id}`), s.all),
    listCell(template.allowed_ips, s.any),
    el('td', { class: 'actions' }, edit, remove),
  );
}

/** Marks the fields the server named (`errors: [{ field, message }]`) and says the rest on the alert line. */
function showErrors(form: HTMLFormElement, alert: HTMLElement, e: unknown): void {
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  const fields = e instanceof ProviderError ? e.fieldErrors : [];
  for (const f of fields) form.querySelector(`[name="${CSS.escape(f.field.split(/[.[]/)[0]!)}"]`)?.setAttribute('aria-invalid', 'true');
  alert.textContent = fields.length ? fields.map((f) => `${f.field}: ${f.message}`).join(' ') : errorText(e);
}

function templateForm(provider: TokenProvider, scopes: Scope[], saved: (text: string) => Promise<void>): FormParts {
  const s = templatesStrings();
  let editing: TokenTemplate | null = null;
  const heading = el('h2', { id: 'template-form-title' }, s.newHeading);
  const name = el('input', { id: 'template-name', name: 'name', required: true, maxlength: '200' });
  const description = el('textarea', { id: 'template-description', name: 'description', maxlength: '2000', rows: '2' });
  const expiry = el('input', { id: 'template-expiry', name: 'expires_in_days', type: 'number', min: '1', max: '3650', 'aria-describedby': 'template-expiry-help' });
  const ips = el('textarea', { id: 'template-ips', name: 'allowed_ips', rows: '3', 'aria-describedby': 'template-ips-help', spellcheck: 'false' });
  const boxes = scopes.map((s) => el('input', { type: 'checkbox', name: 'scopes', value: s.id, id: `template-scope-${s.id.replace(/[^A-Za-z0-9_-]/g, '-')}` }));
  const picker: ResourcePicker | null = provider.capabilities.resources && provider.listResources ? resourcePicker(provider, 'template-resources') : null;
  const alert = el('p', { role: 'alert', class: 'error' });
  const submit = el('button', { type: 'submit', class: 'primary' }, s.create);
  const cancel = el('button', { type: 'button', hidden: true }, s.cancel);
  const form = el(
    'form',
    { class: 'template-form', 'aria-labelledby': 'template-form-title', novalidate: true },
    heading,
    el('div', { class: 'field' }, el('label', { for: 'template-name' }, s.name), name),
    el('div', { class: 'field' }, el('label', { for: 'template-description' }, s.description), description),
    el(
      'fieldset',
      { class: 'template-scopes' },
      el('legend', {}, s.scopes),
      ...scopes.map((s, i) => el('div', { class: 'scope' }, boxes[i]!, el('label', { for: boxes[i]!.id }, el('code', {}, s.id), ` — ${s.description}`))),
    ),
    el('div', { class: 'field' }, el('label', { for: 'template-expiry' }, s.expiry), expiry, el('p', { id: 'template-expiry-help', class: 'help' }, s.expiryHelp)),
    picker?.node ?? null,
    provider.capabilities.allowedIps
      ? el('div', { class: 'field' }, el('label', { for: 'template-ips' }, s.ips), ips, el('p', { id: 'template-ips-help', class: 'help' }, s.ipsHelp))
      : null,
    el('div', { class: 'actions' }, submit, cancel),
    alert,
  );
  const load = (template: TokenTemplate | null): void => {
    editing = template;
    heading.textContent = template ? s.editHeading(template.name) : s.newHeading;
    submit.textContent = template ? s.save : s.create;
    cancel.hidden = !template;
    name.value = template?.name ?? '';
    description.value = template?.description ?? '';
    expiry.value = template?.expires_in_days == null ? '' : String(template.expires_in_days);
    ips.value = (template?.allowed_ips ?? []).join('\n');
    for (const box of boxes) box.checked = template?.scopes.includes(box.value) ?? false;
    picker?.set(template?.resources ?? []);
    alert.textContent = '';
    for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  };
  cancel.addEventListener('click', () => load(null));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!name.value.trim()) {
      name.setAttribute('aria-invalid', 'true');
      alert.textContent = s.nameRequired;
      return name.focus();
    }
    const fields: TemplateFields = {
      name: name.value.trim(),
      description: description.value.trim(),
      scopes: boxes.filter((b) => b.checked).map((b) => b.value),
      expires_in_days: expiry.value.trim() === '' ? null : Number(expiry.value),
      resources: picker?.value().map(({ type, id }) => ({ type, id })) ?? editing?.resources ?? [],
      allowed_ips: ips.value.split(/[\s,]+/).filter(Boolean),
    };
    submit.disabled = true;
    try {
      const result = editing ? await requireOperation(provider, 'updateTemplate')(editing.id, fields) : await requireOperation(provider, 'createTemplate')(fields);
      const text = editing ? s.saved(result.name) : s.created(result.name);
      load(null);
      await saved(text);
    } catch (e) {
      showErrors(form, alert, e);
    } finally {
      submit.disabled = false;
    }
  });
  load(null);
  return { form, load };
}

/** `#/templates`. */
export async function renderTemplates(main: HTMLElement, provider: TokenProvider): Promise<void> {
  const s = templatesStrings();
  const status = el('p', { role: 'status', class: 'status' }, s.loading);
  const error = el('p', { role: 'alert', class: 'error' });
  const confirm = document.createElement('pat-confirm-dialog') as PatConfirmDialog;
  const body = el('tbody');
  const table = dataTable(
    { class: 'templates', hidden: true },
    el('caption', { class: 'visually-hidden' }, s.title),
    [s.colName, s.colDescription, s.colScopes, s.colExpiry, s.colResources, s.colIps, s.colActions],
    body,
  );
  main.replaceChildren(el('h1', {}, s.title), el('p', { class: 'help' }, s.intro), status, error);
  let scopes: Scope[] = [];
  try {
    scopes = (await provider.scopeCatalog?.())?.scopes ?? [];
  } catch (e) {
    error.textContent = errorText(e);
  }
  const refresh = async (said?: string): Promise<void> => {
    const templates = await requireOperation(provider, 'listTemplates')();
    body.replaceChildren(...templates.map((t) => templateRow(t, () => edit(t), () => void remove(t))));
    table.hidden = templates.length === 0;
    status.textContent = said ?? (templates.length === 0 ? s.none : s.count(templates.length));
  };
  const { form, load } = templateForm(provider, scopes, (text) => refresh(text));
  const edit = (template: TokenTemplate): void => {
    load(template);
    form.querySelector<HTMLInputElement>('#template-name')!.focus();
  };
  const remove = async (template: TokenTemplate): Promise<void> => {
    const answer = await confirm.ask({ title: s.deleteTitle(template.name), body: s.deleteBody, confirmLabel: s.deleteConfirm, danger: true });
    if (!answer.confirmed) return;
    error.textContent = '';
    try {
      await requireOperation(provider, 'deleteTemplate')(template.id);
      await refresh(s.deleted(template.name));
    } catch (e) {
      error.textContent = errorText(e);
    }
  };
  main.append(table, form, confirm);
  try {
    await refresh();
  } catch (e) {
    status.textContent = '';
    error.textContent = errorText(e);
  }
}
