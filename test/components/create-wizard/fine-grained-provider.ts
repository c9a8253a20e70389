/**
 * TEST DOUBLE: MemoryProvider (the docs demo server) plus the fine-grained operations the wizard
 * reads: templates, resource types and a searchable resource list. Every call is recorded in
 * `calls`, so a test sees what the wizard asked for and with which query.
 */
import type { Confirmation, CreatedToken, Page, Resource, ResourceQuery, ResourceType, TokenDraft, TokenTemplate } from '../../../lib/model.ts';
import type { ProviderCapabilities } from '../../../lib/provider.ts';
import { MemoryProvider, fullCapabilities, makeUser } from '../../support/memory-provider.ts';

export const TEMPLATES: TokenTemplate[] = [
  {
    id: 'tpl_dns', name: 'Edit DNS', description: 'For the DNS robot.', scopes: ['tokens:read'], expires_in_days: 7,
    resources: [{ type: 'project', id: 'p1', name: 'Alpha' }], allowed_ips: ['203.0.113.0/24'], created_at: null, updated_at: null,
  },
  { id: 'tpl_open', name: 'Open', description: '', scopes: [], expires_in_days: null, resources: [], allowed_ips: [], created_at: null, updated_at: null },
];

const resource = (type: string, id: string, name: string): Resource => ({ type, id, name, org_id: null, created_at: null, updated_at: null });
export const RESOURCES: Resource[] = [
  resource('project', 'p1', 'Alpha'),
  resource('project', 'p2', 'Alpine'),
  resource('project', 'p3', 'Beta'),
  resource('organization', 'org_1', 'Acme'),
];

/** Every fine-grained capability on, no owner step (a plain user's wizard). */
export function fineGrainedCapabilities(overrides: Partial<ProviderCapabilities> = {}): ProviderCapabilities {
  return {
    ...fullCapabilities(),
    createForOthers: false,
    adminInventory: false,
    resources: true,
    templates: true,
    allowedIps: true,
    notBefore: true,
    approval: true,
    approvalRequired: false,
    ...overrides,
  };
}

export class FineGrainedProvider extends MemoryProvider {
  templates = TEMPLATES;
  resources = RESOURCES;

  constructor(capabilities: ProviderCapabilities = fineGrainedCapabilities()) {
    const me = makeUser('u_bob', 'bob', ['user_access_token']);
    super({ capabilities, me, users: [me] });
  }

  async listTemplates(): Promise<TokenTemplate[]> {
    this.calls.push(['listTemplates']);
    return this.templates;
  }

  async listResourceTypes(): Promise<ResourceType[]> {
    this.calls.push(['listResourceTypes']);
    return [{ id: 'organization', name: 'Organization' }, { id: 'project', name: 'Project' }];
  }

  async listResources(query: ResourceQuery = {}): Promise<Page<Resource>> {
    this.calls.push(['listResources', query]);
    const q = query.q?.toLowerCase() ?? '';
    const items = this.resources.filter((r) => (!query.type || r.type === query.type) && (!q || r.name.toLowerCase().includes(q) || r.id.includes(q)));
    return { items, next_cursor: null };
  }

  /** As the server does: a token made while approval applies waits for an approver. */
  override async createToken(draft: TokenDraft, confirm?: Confirmation): Promise<CreatedToken> {
    const created = await super.createToken(draft, confirm);
    if (!this.capabilities.approvalRequired) return created;
    const approval = { state: 'pending' as const, justification: draft.justification ?? '', requested_at: new Date().toISOString(), decided_at: null, decided_by: null, reason: null };
    return { ...created, token: { ...created.token, status: 'pending', approval } };
  }
}
