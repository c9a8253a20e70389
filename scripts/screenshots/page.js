/**
 * The page `npm run screenshots` photographs: one state of one component per load (`?shot=NAME`,
 * optional `theme=dark`, `lang=de`), built from the **built package** only. `patkit/…` and `lit`
 * stay bare imports, which the page's import map resolves to dist/kit/esm and node_modules, as
 * for an npm user without a bundler; only the in-memory demo server is bundled in (data, no UI).
 * JavaScript, because `patkit` resolves only in the page (the repository's tsconfig has no such module).
 */
import 'patkit';
import 'patkit/locales/de';
import { PatRevealDialog } from 'patkit';
import { MemoryProvider, makeToken, makeUser } from '../../gallery/demo-provider.ts';

const DAY = 86_400_000;

function demoTokens() {
  const ago = (days) => new Date(Date.now() - days * DAY).toISOString();
  const ahead = (days) => new Date(Date.now() + days * DAY).toISOString();
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

function demoProvider() {
  const me = makeUser('u_admin', 'admin', ['system_admin']);
  return new MemoryProvider({ tokens: demoTokens(), me, users: [me, makeUser('u_alice', 'alice'), makeUser('u_bob', 'bob')] });
}

function create(tag, props = {}) {
  return Object.assign(document.createElement(tag), props);
}

/** @type {Record<string, () => HTMLElement>} */
const STATES = {
  'token-manager': () => create('pat-token-manager', { heading: 'My tokens', provider: demoProvider() }),
  'token-list': () => create('pat-token-list', { provider: demoProvider(), owner: 'all' }),
  'create-wizard': () => {
    const provider = demoProvider();
    return create('pat-create-wizard', { provider, currentUser: provider.me });
  },
  'reveal-dialog': () => {
    const box = document.createElement('div');
    const button = create('button', { type: 'button', textContent: 'Show a new token' });
    button.addEventListener('click', () => {
      void PatRevealDialog.reveal({ token: makeToken({ name: 'release bot' }), secret: 'pat_Demo0nlyNotARealSecret0123456789abcd' }, { container: box });
    });
    box.append(button);
    return box;
  },
};

const params = new URLSearchParams(location.search);
const shot = params.get('shot') ?? '';
const build = STATES[shot];
if (!build) throw new Error(`no state "${shot}"; known: ${Object.keys(STATES).join(', ')}`);
document.documentElement.style.colorScheme = params.get('theme') === 'dark' ? 'dark' : 'light';
document.documentElement.lang = params.get('lang') === 'de' ? 'de' : 'en';
const demo = document.createElement('div');
demo.className = 'demo';
demo.dataset.shot = shot;
demo.append(build());
document.body.append(demo);
document.body.dataset.ready = 'true';
