/**
 * The kit's documentation page: every component in its main states, live against the in-memory
 * demo provider, a light/dark switch (the page's color-scheme; the components follow it), a
 * language switch (`<html lang>`, German locale imported), and API tables from custom-elements.json.
 * `?shot=NAME` shows one state alone, for scripts/screenshots.ts.
 */
import '../components/index.ts';
import '../components/locales/de.ts';
import { PatRevealDialog } from '../components/reveal-dialog/reveal-dialog.component.ts';
import type { PatConfirmDialog } from '../components/confirm-dialog/confirm-dialog.component.ts';
import { ProviderError } from '../lib/errors.ts';
import { apiTables, docText, findDeclaration, type Manifest } from './api-tables.ts';
import { MemoryProvider, makeToken, makeUser } from './demo-provider.ts';

const DAY = 86_400_000;

function demoTokens() {
  const ago = (days: number): string => new Date(Date.now() - days * DAY).toISOString();
  const ahead = (days: number): string => new Date(Date.now() + days * DAY).toISOString();
  return [
    makeToken({
      name: 'release bot',
      description: 'Publishes tagged releases',
      created_at: ago(3),
      created_by: { id: 'u_admin', username: 'admin' },
      expires_at: ahead(87),
      scopes: ['tokens:read', 'post:all'],
      last_used_at: ago(1),
      last_used_ip: '203.0.113.7',
      recent_uses: [
        { ip: '203.0.113.7', at: ago(1) },
        { ip: '198.51.100.20', at: ago(2) },
      ],
      // Regenerated with a grace period: the old value still works for a few hours.
      rotation: { previous_valid_until: new Date(Date.now() + 5 * 3600_000).toISOString(), previous_last4: 'q7Zk' },
    }),
    makeToken({ name: 'CI deploys', description: 'Deploys main to staging', created_at: ago(27), expires_at: ahead(3), last_used_at: ago(0) }),
    makeToken({ name: 'old laptop', description: '', created_at: ago(120), expires_at: ahead(245), status: 'disabled' }),
    makeToken({ name: 'hackathon', description: 'Weekend project', created_at: ago(95), expires_at: ago(5) }),
    makeToken({ name: 'forgotten script', description: 'Nobody remembers', created_at: ago(200), expires_at: ahead(160), last_used_at: ago(130) }),
  ];
}

function demoProvider(): MemoryProvider {
  const me = makeUser('u_admin', 'admin', ['system_admin']);
  return new MemoryProvider({ tokens: demoTokens(), me, users: [me, makeUser('u_alice', 'alice'), makeUser('u_bob', 'bob')] });
}

interface State {
  id: string;
  title: string;
  build: () => HTMLElement;
}

interface Entry {
  tag: string;
  title: string;
  states: State[];
}

function create<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> & Record<string, unknown> = {}): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  Object.assign(node, props);
  return node;
}

function signedOutProvider(): MemoryProvider {
  const p = demoProvider();
  p.currentUser = async () => {
    throw new ProviderError('unauthorized', 'Session expired.');
  };
  return p;
}

const ENTRIES: Entry[] = [
  {
    tag: 'pat-token-manager',
    title: 'Token manager',
    states: [
      { id: 'token-manager', title: 'Signed in, with tokens', build: () => create('pat-token-manager', { heading: 'My tokens', provider: demoProvider() }) },
      { id: 'token-manager-signed-out', title: 'Signed out', build: () => create('pat-token-manager', { heading: 'My tokens', provider: signedOutProvider() }) },
      {
        id: 'token-manager-no-create',
        title: 'Create not allowed',
        build: () => {
          const p = demoProvider();
          p.capabilities = { ...p.capabilities, create: { allowed: false, reason: 'Your role may not create tokens. Ask a System Admin.' } };
          return create('pat-token-manager', { heading: 'My tokens', provider: p });
        },
      },
    ],
  },
  {
    tag: 'pat-token-list',
    title: 'Token list',
    states: [
      { id: 'token-list', title: 'Admin inventory (owner="all")', build: () => create('pat-token-list', { provider: demoProvider(), owner: 'all' }) },
      {
        id: 'token-list-unused',
        title: 'Unused for 90 days (try "Disable unused…")',
        build: () => {
          const list = create('pat-token-list', { provider: demoProvider() });
          void list.updateComplete.then(() => {
            const select = list.shadowRoot!.querySelector<HTMLSelectElement>('[part="unused-filter"]');
            if (!select) return;
            select.value = '90';
            select.dispatchEvent(new Event('change'));
          });
          return list;
        },
      },
      { id: 'token-list-empty', title: 'Empty', build: () => create('pat-token-list', { provider: new MemoryProvider() }) },
      { id: 'token-list-loading', title: 'Loading', build: () => create('pat-token-list', { loading: true }) },
      { id: 'token-list-error', title: 'Error', build: () => create('pat-token-list', { error: 'The server failed (500).' }) },
    ],
  },
  {
    tag: 'pat-token-details',
    title: 'Token details',
    states: [
      {
        id: 'token-details',
        title: 'A rotating token, with recent uses and its audit trail',
        build: () => {
          const p = demoProvider();
          const el = create('pat-token-details', { provider: p });
          // Something in the audit trail first: a regenerate with a grace period.
          void p.regenerateToken(p.tokens[0]!.id, undefined, { gracePeriodSeconds: 3600 }).then(() => (el.token = p.tokens[0]!));
          return el;
        },
      },
      {
        id: 'token-details-no-audit',
        title: 'A server without audit or recent uses',
        build: () => {
          const p = demoProvider();
          p.capabilities = { ...p.capabilities, audit: false, recentUses: false, rotationGraceMaxSeconds: 0 };
          return create('pat-token-details', { provider: p, token: p.tokens[1]! });
        },
      },
    ],
  },
  {
    tag: 'pat-create-wizard',
    title: 'Create wizard',
    states: [
      {
        id: 'create-wizard',
        title: 'Create, step by step',
        build: () => {
          const p = demoProvider();
          return create('pat-create-wizard', { provider: p, currentUser: p.me });
        },
      },
    ],
  },
  {
    tag: 'pat-reveal-dialog',
    title: 'Reveal dialog',
    states: [
      {
        id: 'reveal-dialog',
        title: 'A new token, shown once',
        build: () => {
          const box = document.createElement('div');
          const button = create('button', { type: 'button', textContent: 'Show a new token' });
          button.addEventListener('click', () => {
            void PatRevealDialog.reveal({ token: makeToken({ name: 'release bot' }), secret: 'pat_Demo0nlyNotARealSecret0123456789abcd' }, { container: box });
          });
          box.append(button);
          return box;
        },
      },
    ],
  },
  {
    tag: 'pat-confirm-dialog',
    title: 'Confirm dialog',
    states: [
      {
        id: 'confirm-dialog',
        title: 'Destructive, with the password',
        build: () => {
          const box = document.createElement('div');
          const dialog = create('pat-confirm-dialog');
          const button = create('button', { type: 'button', textContent: 'Delete a token' });
          button.addEventListener('click', () => {
            void (dialog as PatConfirmDialog).ask({ title: 'Delete this token?', body: 'The token is deleted permanently.', confirmLabel: 'Delete', danger: true, password: true });
          });
          box.append(button, dialog);
          return box;
        },
      },
    ],
  },
  {
    tag: 'pat-role-manager',
    title: 'Role manager',
    states: [{ id: 'role-manager', title: 'Users and their roles', build: () => create('pat-role-manager', { provider: demoProvider() }) }],
  },
  {
    tag: 'pat-scoped-token-form',
    title: 'Scoped token form',
    states: [
      {
        id: 'scoped-token-form',
        title: 'An organisation’s access token',
        build: () => create('pat-scoped-token-form', { provider: demoProvider(), owner: { kind: 'organization', id: 'o1', name: 'Acme' } }),
      },
    ],
  },
];

function applySwitches(): void {
  const params = new URLSearchParams(location.search);
  const theme = document.querySelector<HTMLSelectElement>('#theme')!;
  const lang = document.querySelector<HTMLSelectElement>('#lang')!;
  theme.value = params.get('theme') === 'dark' ? 'dark' : 'light';
  lang.value = params.get('lang') === 'de' ? 'de' : 'en';
  const apply = (): void => {
    document.documentElement.dataset.theme = theme.value;
    document.documentElement.lang = lang.value;
  };
  theme.addEventListener('change', apply);
  lang.addEventListener('change', apply);
  apply();
}

async function loadManifest(): Promise<Manifest> {
  try {
    const answer = await fetch(new URL('custom-elements.json', location.href));
    return answer.ok ? ((await answer.json()) as Manifest) : {};
  } catch {
    return {};
  }
}

async function main(): Promise<void> {
  applySwitches();
  const shot = new URLSearchParams(location.search).get('shot');
  const root = document.querySelector('#gallery')!;
  const toc = document.querySelector('#toc')!;
  const manifest = shot ? {} : await loadManifest();
  for (const entry of ENTRIES) {
    const states = shot ? entry.states.filter((s) => s.id === shot) : entry.states;
    if (states.length === 0) continue;
    const section = document.createElement('section');
    section.id = entry.tag;
    const h2 = document.createElement('h2');
    h2.textContent = `${entry.title} `;
    const tagCode = document.createElement('code');
    tagCode.textContent = `<${entry.tag}>`;
    h2.append(tagCode);
    section.append(h2);
    const summary = findDeclaration(manifest, entry.tag)?.summary;
    if (summary) {
      const intro = document.createElement('div');
      intro.className = 'summary';
      intro.append(docText(summary));
      section.append(intro);
    }
    for (const state of states) {
      const box = document.createElement('div');
      box.className = 'state';
      const h3 = document.createElement('h3');
      h3.textContent = state.title;
      const demo = document.createElement('div');
      demo.className = 'demo';
      demo.dataset.shot = state.id;
      demo.append(state.build());
      box.append(h3, demo);
      section.append(box);
    }
    if (!shot) section.append(apiTables(manifest, entry.tag));
    root.append(section);
    if (!shot) toc.append(Object.assign(document.createElement('a'), { href: `#${entry.tag}`, textContent: entry.tag }));
  }
  document.body.dataset.ready = 'true';
}

void main();
