/**
 * Races an attacker can start with concurrent real HTTP requests (docs/security.md rule 27), on the
 * store the suite runs against (SQLite, or PostgreSQL with `npm run test:server:postgres`). The
 * password re-check is on, so every regenerate and enable spends a real scrypt (hundreds of ms)
 * between its checks and its write: the window a disable or a leak report lands in. Each round
 * fires the two sides at once, with a few staggered copies of the attacker's request, and then
 * checks the one thing that must hold whatever the interleaving: a secret that was stopped (the old
 * secret of a regenerate that lost to a disable, or a reported one) never works again.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, assertProblem, call, createToken, startHarness, type Answer, type Harness } from '../helpers.ts';
import { settleLeakReports } from './leak-report-support.ts';

const ROUNDS = 20;
/** Each admin round signs in four times (scrypt): fewer rounds, and the race is hit in every one. */
const ADMIN_ROUNDS = 6;
/**
 * When the attacker's copies leave after the victim's request (ms): after the victim has read the
 * token (a few ms) and inside its scrypt window (hundreds of ms on this hardware).
 */
const STAGGER_MS = [40, 80, 150, 250];

let h: Harness;
const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) => call(h.url, method, path, options);
const works = async (secret: string) => (await api('GET', '/api/v1/users/me', { token: secret })).status === 200;
const asAdmin = (method: string, path: string, body?: unknown) => api(method, path, { token: h.admin, body: body ?? (method === 'GET' ? undefined : {}) });

before(async () => {
  h = await startHarness({ passwordPolicy: true, throttle: { leakReportPerIp: { max: 100_000, windowMs: 60_000 } } });
});
after(() => h.stop());

/** The victim's request and, at once, the attacker's copies; every answer once all have settled. */
async function race(victim: () => Promise<Answer>, attack: () => Promise<Answer>): Promise<{ victim: Answer; attacks: Answer[] }> {
  const attacks = STAGGER_MS.map(async (ms) => {
    await sleep(ms);
    return attack();
  });
  const [v, ...rest] = await Promise.all([victim(), ...attacks]);
  return { victim: v!, attacks: rest };
}

const regenerateWithGrace = (id: string) => () => asAdmin('POST', `/api/v1/tokens/${id}/regenerate`, { grace_period_seconds: 3600, password: ADMIN_PASSWORD });
const report = (secret: string) => () => call(h.url, 'POST', '/api/v1/credentials/revoke', { body: { credentials: [secret] } });

/** Enables the token if it is disabled (with the password), as its owner would after the incident. */
async function enableAgain(id: string): Promise<void> {
  if ((await asAdmin('GET', `/api/v1/tokens/${id}`)).json.status !== 'disabled') return;
  const enabled = await asAdmin('POST', `/api/v1/tokens/${id}/enable`, { password: ADMIN_PASSWORD });
  assert.equal(enabled.status, 200, enabled.text);
}

/**
 * One round of "regenerate with grace" against `attack`; returns the token's current secret. A lost
 * regenerate is a 409 problem and changes nothing; a won one's outgoing secret must be dead once
 * the token is enabled again (the attack ended its grace, or came first and the grace was refused).
 */
async function regenerateRound(id: string, current: string, attack: () => Promise<Answer>): Promise<{ current: string; lost: boolean }> {
  const { victim, attacks } = await race(regenerateWithGrace(id), attack);
  for (const a of attacks) assert.ok([200, 202].includes(a.status), a.text);
  await settleLeakReports(h);
  await enableAgain(id);
  if (victim.status === 409 || victim.status === 400) {
    // 409: the write found the token no longer active; 400: the attack landed before the regenerate
    // even read the token (the ordinary "only an active token gets a grace" refusal).
    assertProblem(victim, victim.status, victim.status === 409 ? 'conflict' : 'validation_failed');
    assert.ok(await works(current), 'a refused regenerate changed nothing: the current secret is still the one');
    return { current, lost: true };
  }
  assert.equal(victim.status, 200, victim.text);
  assert.equal(await works(current), false, 'the secret the regenerate replaced never works again after the token is enabled');
  assert.ok(await works(victim.json.secret), 'the new secret works');
  return { current: victim.json.secret as string, lost: false };
}

describe('regenerate with a grace period, raced (docs/security.md rule 27)', () => {
  test('against disable: enabling the token again never revives the secret the regenerate replaced', async () => {
    let { id, secret } = await createToken(h, { name: 'raced by disable', password: ADMIN_PASSWORD });
    let lost = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const result = await regenerateRound(id, secret, () => asAdmin('POST', `/api/v1/tokens/${id}/disable`));
      secret = result.current;
      if (result.lost) lost++;
    }
    // Not an assertion of the fix (the interleaving is the scheduler's), only a note of what ran.
    console.log(`# regenerate vs disable: ${lost} of ${ROUNDS} regenerates lost the race (409)`);
  });

  test('against a leak report of the current secret: the reported secret never gets a grace period', async () => {
    let { id, secret } = await createToken(h, { name: 'raced by a report', password: ADMIN_PASSWORD });
    let lost = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const reported = secret;
      const result = await regenerateRound(id, secret, report(reported));
      if (result.lost) {
        // The report won and the regenerate changed nothing: the reported value is still the token's
        // current secret, which the owner's enable brought back by choice, as without any race. Give
        // the token a new secret for the next round.
        lost++;
        const fresh = await asAdmin('POST', `/api/v1/tokens/${id}/regenerate`, { password: ADMIN_PASSWORD });
        assert.equal(fresh.status, 200, fresh.text);
        secret = fresh.json.secret;
        assert.equal(await works(reported), false);
      } else {
        secret = result.current;
      }
    }
    console.log(`# regenerate vs leak report: ${lost} of ${ROUNDS} regenerates lost the race (409)`);
  });
});

describe('enable, raced by a leak report (docs/security.md rule 27)', () => {
  test('an enable decided before a report lands is refused: the reported secret stays dead', async () => {
    let { id, secret } = await createToken(h, { name: 'enable raced by a report', password: ADMIN_PASSWORD });
    let refused = 0;
    for (let round = 0; round < ROUNDS; round++) {
      assert.equal((await asAdmin('POST', `/api/v1/tokens/${id}/disable`)).status, 200);
      const { victim } = await race(() => asAdmin('POST', `/api/v1/tokens/${id}/enable`, { password: ADMIN_PASSWORD }), report(secret));
      await settleLeakReports(h);
      if (victim.status === 409) {
        assertProblem(victim, 409, 'conflict');
        refused++;
      } else assert.equal(victim.status, 200, victim.text);
      assert.equal(await works(secret), false, 'a reported secret never works after the race, whoever won');
      const fresh = await asAdmin('POST', `/api/v1/tokens/${id}/regenerate`, { password: ADMIN_PASSWORD });
      assert.equal(fresh.status, 200, fresh.text);
      secret = fresh.json.secret;
    }
    console.log(`# enable vs leak report: ${refused} of ${ROUNDS} enables refused (409)`);
  });
});

describe('accounts changing during a password check (docs/security.md rule 27)', () => {
  test('a token created while its owner is being deactivated is refused, never written after the deactivation', async () => {
    const password = 'race-owner-password-1';
    const owner = await asAdmin('POST', '/api/v1/users', { username: 'race-owner', display_name: 'race owner', password, roles: ['system_user', 'user_access_token'] });
    assert.equal(owner.status, 201, owner.text);
    const userId = owner.json.id as string;
    let refused = 0;
    for (let round = 0; round < ROUNDS / 2; round++) {
      assert.equal((await asAdmin('PATCH', `/api/v1/users/${userId}`, { active: true })).status, 200);
      const session = (await api('POST', '/api/v1/sessions', { body: { username: 'race-owner', password } })).json.credential as string;
      const { victim, attacks } = await race(
        () => api('POST', '/api/v1/tokens', { token: session, body: { name: `round ${round}`, scopes: ['tokens:read'], password } }),
        () => asAdmin('PATCH', `/api/v1/users/${userId}`, { active: false }),
      );
      for (const a of attacks) assert.equal(a.status, 200, a.text);
      if (victim.status !== 201) {
        // 409: the owner was deactivated during the password check; 401: before the request was authenticated.
        assert.ok([401, 409].includes(victim.status), victim.text);
        refused++;
        continue;
      }
      // Written, so it must have been written before the deactivation: earlier in the audit log.
      const log = (await asAdmin('GET', `/api/v1/audit?user_id=${userId}&limit=200`)).json.items as { action: string; token_id: string | null }[];
      const created = log.findIndex((e) => e.action === 'token.created' && e.token_id === victim.json.token.id);
      const deactivated = log.findIndex((e) => e.action === 'user.deactivated');
      assert.ok(created > deactivated, `token.created (#${created} from the newest) comes before the deactivation (#${deactivated})`);
    }
    console.log(`# create vs deactivation: ${refused} of ${ROUNDS / 2} creates refused`);
  });

  test('a sign-in checked against the old password while it changes gets no session that outlives the change', async () => {
    const oldPassword = 'race-signer-password-1';
    const created = await asAdmin('POST', '/api/v1/users', { username: 'race-signer', display_name: 'race signer', password: oldPassword, roles: ['system_user'] });
    assert.equal(created.status, 201, created.text);
    const userId = created.json.id as string;
    let current = oldPassword;
    let sessions = 0;
    for (let round = 0; round < ROUNDS / 2; round++) {
      const next = `race-signer-password-${round + 2}`;
      // The change hashes the new password first (one scrypt), then writes: the sign-ins are sent
      // so that some read the old hash before that write and finish their own scrypt after it.
      const change = asAdmin('PATCH', `/api/v1/users/${userId}`, { password: next });
      const signIns = [120, 200, 280, 360].map(async (ms) => {
        await sleep(ms);
        return api('POST', '/api/v1/sessions', { body: { username: 'race-signer', password: current } });
      });
      const changed = await change;
      assert.equal(changed.status, 200, changed.text);
      for (const s of await Promise.all(signIns)) {
        if (s.status !== 201) {
          assert.ok([401, 409, 429].includes(s.status), s.text);
          continue;
        }
        sessions++;
        assert.equal((await api('GET', '/api/v1/users/me', { token: s.json.credential })).status, 401, 'a session signed in with the old password ended with the change');
      }
      current = next;
    }
    console.log(`# sign-in vs password change: ${sessions} sessions were created with an old password (all ended)`);
  });
});

describe('the last System Admin, raced (docs/security.md rule 27)', () => {
  test('two admins deactivating each other at the same moment: one active System Admin always remains', async () => {
    // Its own server: the shared harness's admin session must survive this file.
    const own = await startHarness();
    try {
      const other = { username: 'race-admin-2', password: 'race-admin-2-password' };
      const made = await call(own.url, 'POST', '/api/v1/users', { token: own.admin, body: { ...other, display_name: 'second admin', roles: ['system_admin'] } });
      assert.equal(made.status, 201, made.text);
      const ids = { admin: own.adminId, other: made.json.id as string };
      const signIn = async (username: string, password: string) => call(own.url, 'POST', '/api/v1/sessions', { body: { username, password } });
      let admin = own.admin;
      let second = (await signIn(other.username, other.password)).json.credential as string;
      let refused = 0;
      for (let round = 0; round < ADMIN_ROUNDS; round++) {
        const [a, b] = await Promise.all([
          call(own.url, 'PATCH', `/api/v1/users/${ids.other}`, { token: admin, body: { active: false } }),
          call(own.url, 'PATCH', `/api/v1/users/${ids.admin}`, { token: second, body: { active: false } }),
        ]);
        for (const r of [a, b]) assert.ok([200, 401, 409].includes(r.status), r.text);
        const adminBack = await signIn('admin', ADMIN_PASSWORD);
        const otherBack = await signIn(other.username, other.password);
        assert.ok(adminBack.status === 201 || otherBack.status === 201, `no active System Admin is left: ${a.status} ${a.text} / ${b.status} ${b.text}`);
        if (a.status !== 200 || b.status !== 200) refused++;
        // The survivor brings the other back; both sign in again for the next round.
        const survivor = adminBack.status === 201 ? adminBack.json.credential : otherBack.json.credential;
        for (const id of [ids.admin, ids.other]) assert.equal((await call(own.url, 'PATCH', `/api/v1/users/${id}`, { token: survivor, body: { active: true } })).status, 200);
        admin = (await signIn('admin', ADMIN_PASSWORD)).json.credential;
        second = (await signIn(other.username, other.password)).json.credential;
      }
      console.log(`# admins deactivating each other: ${refused} of ${ADMIN_ROUNDS} rounds had a refusal`);
    } finally {
      await own.stop();
    }
  });
});

describe('a scope change that needed no password, raced (docs/security.md rule 27)', () => {
  test('it cannot undo a narrowing that landed after it read the token: scopes come back only with the password', async () => {
    const { id } = await createToken(h, { name: 'narrowed', scopes: ['tokens:read', 'tokens:write'], password: ADMIN_PASSWORD });
    let refused = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // The attacker (no password) re-sends the scopes it read, as a no-op edit; the owner narrows.
      const [replay, narrow] = await Promise.all([
        asAdmin('PATCH', `/api/v1/tokens/${id}`, { name: `round ${round}`, scopes: ['tokens:read', 'tokens:write'] }),
        asAdmin('PATCH', `/api/v1/tokens/${id}`, { scopes: ['tokens:read'] }),
      ]);
      if (narrow.status === 409) {
        // The replay was written between the narrowing's read and its write: the narrowing is refused
        // in turn (it too changes scopes), and the owner sends it again.
        assertProblem(narrow, 409, 'conflict');
        assert.equal(replay.status, 200, replay.text);
        assert.equal((await asAdmin('PATCH', `/api/v1/tokens/${id}`, { scopes: ['tokens:read'] })).status, 200);
      } else assert.equal(narrow.status, 200, narrow.text);
      if (replay.status !== 200) {
        // 409: it read the wider scopes, the narrowing landed first; 403: it read the narrowed ones (a widening needs the password).
        assert.ok([403, 409].includes(replay.status), replay.text);
        refused++;
      }
      const scopes = (await asAdmin('GET', `/api/v1/tokens/${id}`)).json.scopes as string[];
      // Whichever order: the narrowing was the last change, or the replay was refused.
      assert.deepEqual(scopes, ['tokens:read'], `after replay ${replay.status} and narrowing ${narrow.status}`);
      const widened = await asAdmin('PATCH', `/api/v1/tokens/${id}`, { scopes: ['tokens:read', 'tokens:write'], password: ADMIN_PASSWORD });
      assert.equal(widened.status, 200, widened.text);
    }
    console.log(`# scope replay vs narrowing: ${refused} of ${ROUNDS} replays refused`);
  });
});

describe('an organisation token, raced by its creator losing the admin role (docs/security.md rule 27)', () => {
  test('a token created while the creator is being demoted is refused, never written after the demotion', async () => {
    const password = 'race-org-admin-password';
    const made = await asAdmin('POST', '/api/v1/users', { username: 'race-org-admin', display_name: 'race org admin', password, roles: ['system_user'] });
    assert.equal(made.status, 201, made.text);
    const userId = made.json.id as string;
    const org = (await asAdmin('POST', '/api/v1/orgs', { name: 'Raced org' })).json.id as string;
    const session = (await api('POST', '/api/v1/sessions', { body: { username: 'race-org-admin', password } })).json.credential as string;
    let refused = 0;
    for (let round = 0; round < ROUNDS / 2; round++) {
      assert.equal((await asAdmin('PUT', `/api/v1/orgs/${org}/members/${userId}`, { role: 'admin' })).status, 200);
      const { victim, attacks } = await race(
        () => api('POST', `/api/v1/orgs/${org}/tokens`, { token: session, body: { name: `round ${round}`, admin_role: false, password } }),
        () => asAdmin('PUT', `/api/v1/orgs/${org}/members/${userId}`, { role: 'user' }),
      );
      for (const a of attacks) assert.equal(a.status, 200, a.text);
      if (victim.status !== 201) {
        // 409: demoted during the password check; 403: before the request was authorised.
        assert.ok([403, 409].includes(victim.status), victim.text);
        refused++;
        continue;
      }
      const log = (await asAdmin('GET', `/api/v1/audit?user_id=${userId}&limit=200`)).json.items as { action: string; token_id: string | null }[];
      const created = log.findIndex((e) => e.action === 'token.created' && e.token_id === victim.json.token.id);
      const demoted = log.findIndex((e) => e.action.endsWith('member_role_changed'));
      assert.ok(created > demoted, `token.created (#${created} from the newest) comes before the demotion (#${demoted})`);
    }
    console.log(`# organisation token vs demotion: ${refused} of ${ROUNDS / 2} creates refused`);
  });
});
