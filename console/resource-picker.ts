/**
 * The console's resource picker, for token templates: choose a resource type, search the host's
 * registered resources by name, add them as chips, remove a chip with its × button. Empty means
 * "all resources the owner can reach". Server strings go in as text only (docs/security.md rule 21).
 */
import type { ResourceRef } from '../lib/model.ts';
import type { TokenProvider } from '../lib/provider.ts';
import { el, errorText } from './dom.ts';

const S = {
  legend: 'Resources',
  help: 'None chosen: tokens from this template reach everything their owner can. Choose resources to bound them.',
  type: 'Resource type',
  search: 'Search resources',
  searchButton: 'Search',
  none: 'No resources chosen: all resources.',
  noMatch: 'No resource matches.',
  add: (name: string): string => `Add ${name}`,
  remove: (name: string): string => `Remove ${name}`,
  max: 'At most 50 resources.',
};

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
  let chosen: ResourceRef[] = [];
  const typeSelect = el('select', { id: `${idPrefix}-type` });
  const query = el('input', { id: `${idPrefix}-q`, type: 'search', autocomplete: 'off' });
  const searchButton = el('button', { type: 'button' }, S.searchButton);
  const results = el('ul', { class: 'resource-results', 'aria-live': 'polite' });
  const chips = el('ul', { class: 'chips', 'aria-label': S.legend });
  const message = el('p', { class: 'help', role: 'status' });

  const renderChips = (): void => {
    chips.replaceChildren(
      ...chosen.map((r) => {
        const name = r.name ?? r.id;
        const remove = el('button', { type: 'button', class: 'chip-remove', 'aria-label': S.remove(name) }, '×');
        remove.addEventListener('click', () => {
          chosen = chosen.filter((c) => key(c) !== key(r));
          renderChips();
          query.focus();
        });
        return el('li', { class: 'chip', 'data-resource': `${r.type}:${r.id}` }, el('span', {}, `${r.type}: ${name}`), remove);
      }),
    );
    if (chosen.length === 0) chips.append(el('li', { class: 'chip-none' }, S.none));
  };

  const search = async (): Promise<void> => {
    message.textContent = '';
    try {
      const page = await provider.listResources!({ ...(typeSelect.value ? { type: typeSelect.value } : {}), ...(query.value.trim() ? { q: query.value.trim() } : {}), limit: 20 });
      results.replaceChildren(
        ...page.items.map((r) => {
          const ref: ResourceRef = { type: r.type, id: r.id, name: r.name };
          const add = el('button', { type: 'button', 'aria-label': S.add(r.name) }, `+ ${r.type}: ${r.name}`);
          add.disabled = chosen.some((c) => key(c) === key(ref));
          add.addEventListener('click', () => {
            if (chosen.length >= MAX_RESOURCES) return void (message.textContent = S.max);
            chosen = [...chosen, ref];
            add.disabled = true;
            renderChips();
          });
          return el('li', {}, add);
        }),
      );
      if (page.items.length === 0) message.textContent = S.noMatch;
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
    el('legend', {}, S.legend),
    el('p', { class: 'help' }, S.help),
    chips,
    el('div', { class: 'field' }, el('label', { for: `${idPrefix}-type` }, S.type), typeSelect),
    el('div', { class: 'field' }, el('label', { for: `${idPrefix}-q` }, S.search), query, searchButton),
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
