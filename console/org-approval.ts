/**
 * The Organization page's "Require approval" switch (`require_token_approval`): tokens bounded to
 * this organisation's resources wait for an approver even when the server-wide setting is off.
 * System Admins change it; it talks to `/api/v1/orgs/{id}` with the console's session.
 */
import { HttpClient, segment } from '../lib/http.ts';
import { consoleHttp, type ConsoleHttpConfig } from './console-http.ts';
import { readObject } from '../lib/parse.ts';
import { el, errorText } from './dom.ts';
import { orgApprovalStrings } from './org-approval.strings.ts';

export type OrgApprovalConfig = ConsoleHttpConfig;

/** `require_token_approval` of one organisation, read and changed. */
export class OrgApprovalClient {
  readonly #http: HttpClient;

  constructor(config: OrgApprovalConfig) {
    this.#http = consoleHttp(config);
  }

  /** `null` when the server has no such setting. */
  get(orgId: string): Promise<boolean | null> {
    return this.#http.request({ method: 'GET', path: `/api/v1/orgs/${segment(orgId)}`, parse: readRequired, what: 'organization' });
  }

  set(orgId: string, required: boolean): Promise<boolean | null> {
    return this.#http.request({ method: 'PATCH', path: `/api/v1/orgs/${segment(orgId)}`, body: { require_token_approval: required }, parse: readRequired, what: 'organization' });
  }
}

function readRequired(value: unknown, path: string): boolean | null {
  const field = readObject(value, path)['require_token_approval'];
  return typeof field === 'boolean' ? field : null;
}

/** Appends the switch to `container` once the server said the organisation has the setting. */
export async function renderOrgApproval(container: HTMLElement, client: OrgApprovalClient, orgId: string): Promise<void> {
  let current: boolean | null;
  try {
    current = await client.get(orgId);
  } catch {
    return; // The page itself says what is wrong with the organisation.
  }
  if (current === null) return;
  const s = orgApprovalStrings();
  const toggle = el('input', { type: 'checkbox', role: 'switch', id: 'org-require-approval', checked: current, 'aria-describedby': 'org-require-approval-help' });
  const status = el('p', { role: 'status', class: 'status' });
  toggle.addEventListener('change', async () => {
    const wanted = toggle.checked;
    toggle.disabled = true;
    status.classList.remove('error');
    try {
      const now = (await client.set(orgId, wanted)) === true;
      toggle.checked = now;
      status.textContent = now ? s.on : s.off;
    } catch (e) {
      toggle.checked = !wanted;
      status.classList.add('error');
      status.textContent = errorText(e);
    } finally {
      toggle.disabled = false;
    }
  });
  container.append(
    el(
      'section',
      { class: 'org-approval', 'aria-labelledby': 'org-approval-title' },
      el('h2', { id: 'org-approval-title' }, s.heading),
      el('div', { class: 'setting' }, toggle, el('label', { for: 'org-require-approval' }, s.label), el('p', { id: 'org-require-approval-help', class: 'help' }, s.help)),
      status,
    ),
  );
}
