/**
 * The console's resource picker, for token templates: choose a resource type, search the host's
 * registered resources by name, add them as chips, remove a chip with its × button. Empty means
 * "all resources the owner can reach". Server strings go in as text only (docs/security.md rule 21).
 */
import type { ResourceRef } from '../lib/model.ts';
import type { TokenProvider } from '../lib/provider.ts';
import { el, errorText } from './dom.ts';
import { resourcePickerStrings } from './resource-picker.strings.ts';

export const MAX_RESOURCES = 50;

export interface ResourcePicker {
  node: HTMLElement;
  /** The chosen resources, in the order they were added. */
  value(): ResourceRef[];
  set(resources: ResourceRef[]): void;
}

const key = (r: ResourceRef): string => `${r.type}\u0000${r.id}`;

/** A picker over `provider.listResourceTypes` / `listResources`; `idPrefix` keeps its ids unique on the page. */
export function resourcePicker(provider: TokenProvider, idPrefix: string): ResourcePicker {
  const s = resourcePickerStrings();
  let chosen: ResourceRef[] = [];
  const typeSelect = el('select', { id: `${idPrefix}-type` });
  const query = el('input', { id: `${idPrefix}-q`, type: 'search', autocomplete: 'off' });
  const searchButton = el('button', { type: 'button' }, s.searchButton);
  const results = el('ul', { class: 'resource-results', 'aria-live': 'polite' });
  const chips = el('ul', { class: 'chips', 'aria-label': s.legend });
  const message = el('p', { class: 'help', role: 'status' });

  const renderChips = (): void => {
    chips.replaceChildren(
      ...chosen.map((r) => {
        const name = r.name ?? r.id;
        const remove = el('button', { type: 'button', class: 'chip-remove', 'aria-label': s.remove(name) }, '×');
        remove.addEventListener('click', () => {
          chosen = chosen.filter((c) => key(c) !== key(r));
          renderChips();
          query.focus();
        });
        return el('li', { class: 'chip', 'data-resource': `${r.type}:${r.id}` }, el('span', {}, `${r.type}: ${name}`), remove);
      }),
    );
    if (chosen.length === 0) chips.append(el('li', { class: 'chip-none' }, s.none));
  };

  const search = async (): Promise<void> => {
    message.textContent = '';
    try {
      const page = await provider.listResources!({ ...(typeSelect.value ? { type: typeSelect.value } : {}), ...(query.value.trim() ? { q: query.value.trim() } : {}), limit: 20 });
      results.replaceChildren(
        ...page.items.map((r) => {
          const ref: ResourceRef = { type: r.type, id: r.id, name: r.name };
          const add = el('button', { type: 'button', 'aria-label': s.add(r.name) }, `+ ${r.type}: ${r.name}`);
          add.disabled = chosen.some((c) => key(c) === key(ref));
          add.addEventListener('click', () => {
            if (chosen.length >= MAX_RESOURCES) return void (message.textContent = s.max);
            chosen = [...chosen, ref];
            add.disabled = true;
            renderChips();
          });
          return el('li', {}, add);
        }),
      );
      if (page.items.length === 0) message.textContent = s.noMatch;
    } catch (e) {
      message.textContent = errorText(e);
    }
  };
  searchButton.addEventListener('click', () => void search());
  query.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    void search();
  });

  void provider
    .listResourceTypes?.()
    .then((types) => typeSelect.replaceChildren(...types.map((t) => el('option', { value: t.id }, t.name))))
    .catch((e: unknown) => (message.textContent = errorText(e)));
  renderChips();

  const node = el(
    'fieldset',
    { class: 'resource-picker' },
    el('legend', {}, s.legend),
    el('p', { class: 'help' }, s.help),
    chips,
    el('div', { class: 'field' }, el('label', { for: `${idPrefix}-type` }, s.type), typeSelect),
    el('div', { class: 'field' }, el('label', { for: `${idPrefix}-q` }, s.search), query, searchButton),
    results,
    message,
  );
  return {
    node,
    value: () => chosen.map((r) => ({ ...r })),
    set: (resources) => {
      chosen = resources.map((r) => ({ ...r }));
      results.replaceChildren();
      renderChips();
    },
  };
}
