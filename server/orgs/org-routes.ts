/**
 * Organisations, groups, memberships, and the tokens of organisations and groups (each backed by a
 * technical user). Who may do what is decided in `org-access.ts`; SQL lives in `sqlite-org-store.ts`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Group, MemberRole, Organization } from '../../lib/model.ts';
import { requireScope, type Principal } from '../auth/authenticator.ts';
import { auditEntry, confirmPassword, nowIso, tokenDto, type AppContext } from '../http/context.ts';
import { digestCredential, generateToken, last4, publicId } from '../auth/credentials.ts';
import { accessTo, levelPermissions, type Access } from './org-access.ts';
import {
  CreateGroupSchema,
  CreateOrgSchema,
  CreateScopedTokenSchema,
  GroupMemberParams,
  GroupParams,
  GroupSchema,
  MemberRoleSchema,
  MembershipSchema,
  OrganizationSchema,
  OrgMemberParams,
  OrgParams,
} from './org-schemas.ts';
import type { GroupRecord, OrgRecord, ScopeKind } from '../store/org-store.ts';
import { problems } from '../http/problems.ts';
import { ConfirmSchema, CreatedTokenSchema, NoQuery, pageOf, problemResponses, SECURITY, TokenMetaSchema } from '../http/schemas.ts';
import { ConflictError } from '../store/store.ts';
import { resolveExpiry } from '../tokens/token-routes.ts';

const security = SECURITY;
const tags = ['organizations'];
const LABEL: Record<ScopeKind, string> = { organization: 'organization', group: 'group' };

export function orgRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    const orgs = ctx.store.orgs;
    const principalOf = (request: FastifyRequest) => ctx.auth.authenticate(request);

    // ---- lookups and authorisation -----------------------------------------------------------

    /** The organisation, if the caller may know it exists (else 404). */
    async function orgFor(principal: Principal, id: string): Promise<{ org: OrgRecord; access: Access }> {
      const org = await orgs.getOrg(id);
      const access = org ? await accessTo(orgs, principal, 'organization', org.id, org.id) : 'none';
      if (!org || access === 'none') throw problems.notFound('That organization');
      return { org, access };
    }

    async function groupFor(principal: Principal, orgId: string, groupId: string): Promise<{ group: GroupRecord; access: Access }> {
      const group = await orgs.getGroup(groupId);
      const access = group && group.org_id === orgId ? await accessTo(orgs, principal, 'group', group.id, group.org_id) : 'none';
      if (!group || access === 'none') throw problems.notFound('That group');
      return { group, access };
    }

    function requireTokenAccess(access: Access, kind: ScopeKind, write: boolean): void {
      if (access === 'member') throw problems.forbidden(`Only ${LABEL[kind]} admins manage this ${LABEL[kind]}'s access tokens.`);
      if (access === 'view' && write) throw problems.forbidden(`Managing this ${LABEL[kind]}'s tokens needs its admin role or the users:write permission.`);
    }

    async function orgDto(principal: Principal, org: OrgRecord, access?: Access): Promise<Organization> {
      const level = access ?? await accessTo(orgs, principal, 'organization', org.id, org.id);
      return { ...org, role: await orgs.roleOf('organization', org.id, principal.user.id), can_manage_tokens: level === 'manage' };
    }

    async function groupDto(principal: Principal, group: GroupRecord, access?: Access): Promise<Group> {
      const level = access ?? await accessTo(orgs, principal, 'group', group.id, group.org_id);
      return { ...group, role: await orgs.roleOf('group', group.id, principal.user.id), can_manage_tokens: level === 'manage' };
    }

    // ---- membership routes, shared by organisations and groups -------------------------------

    async function memberUser(userId: string, kind: ScopeKind, scopeId: string) {
      const user = await ctx.store.getUser(userId);
      if (!user) throw problems.notFound('That user');
      if (user.kind === 'technical' && await orgs.roleOf(kind, scopeId, user.id) === null) {
        throw problems.conflict('A technical user belongs to its own token’s organization or group only.');
      }
      return user;
    }

    async function setMember(request: FastifyRequest, principal: Principal, kind: ScopeKind, scopeId: string, userId: string, role: MemberRole) {
      const user = await memberUser(userId, kind, scopeId);
      const previous = await orgs.roleOf(kind, scopeId, user.id);
      const action = previous === null ? `${kind === 'organization' ? 'org' : 'group'}.member_added` : `${kind === 'organization' ? 'org' : 'group'}.member_role_changed`;
      return await orgs.setMember(
        kind,
        scopeId,
        user.id,
        role,
        nowIso(ctx),
        auditEntry(ctx, request, principal, action, { owner_id: user.id, detail: { [kind === 'organization' ? 'org_id' : 'group_id']: scopeId, role, previous } }),
      );
    }

    async function removeMember(request: FastifyRequest, principal: Principal, kind: ScopeKind, scopeId: string, userId: string): Promise<void> {
      const removed = await orgs.removeMember(
        kind,
        scopeId,
        userId,
        auditEntry(ctx, request, principal, `${kind === 'organization' ? 'org' : 'group'}.member_removed`, {
          owner_id: userId,
          detail: { [kind === 'organization' ? 'org_id' : 'group_id']: scopeId },
        }),
      );
      if (!removed) throw problems.notFound('That membership');
    }

    // ---- tokens of a level -----------------------------------------------------------------------

    async function createScopedToken(
      request: FastifyRequest,
      reply: FastifyReply,
      principal: Principal,
      kind: ScopeKind,
      level: { id: string; name: string },
      body: { name: string; description?: string; expires_at?: string | null; admin_role: boolean; password?: string },
    ) {
      if (!(await ctx.store.getSettings()).enable_personal_access_tokens) throw problems.patsDisabled(403);
      const expiresAt = await resolveExpiry(ctx, body.expires_at);
      await confirmPassword(ctx, request, principal, body.password, `create an access token for this ${LABEL[kind]}`);
      const role: MemberRole = body.admin_role ? 'admin' : 'user';
      const scopes = levelPermissions(kind, level.id, role);
      const secret = generateToken();
      const tokenId = publicId('tok');
      const userId = publicId('usr');
      const at = nowIso(ctx);
      const username = `${kind === 'organization' ? 'org' : 'group'}-token-${tokenId.slice(4)}`;
      const detail = { owner_kind: kind, scope_id: level.id, admin_role: body.admin_role };
      const token = await orgs.createScopedToken(
        { id: userId, username, display_name: `${level.name} · ${body.name}`.slice(0, 200), kind: 'technical', password_hash: null, roles: [], created_at: at },
        role,
        {
          id: tokenId,
          digest: digestCredential(ctx.pepper, secret),
          last4: last4(secret),
          owner_kind: kind,
          owner_user_id: userId,
          owner_scope_id: level.id,
          owner_scope_name: level.name,
          name: body.name,
          description: body.description ?? '',
          created_at: at,
          created_by_id: principal.user.id,
          expires_at: expiresAt,
          scopes,
        },
        [
          auditEntry(ctx, request, principal, 'user.created', { token_id: tokenId, owner_id: userId, detail: { ...detail, username, technical: true } }),
          auditEntry(ctx, request, principal, 'token.created', {
            token_id: tokenId,
            owner_id: userId,
            detail: { ...detail, name: body.name, scopes: scopes.join(' '), expires_at: expiresAt },
          }),
        ],
      );
      reply.header('cache-control', 'no-store');
      reply.header('pragma', 'no-cache');
      return reply.code(201).send({ token: tokenDto(ctx, token), secret });
    }

    const tokenPage = pageOf(TokenMetaSchema);

    // ---- organisations ---------------------------------------------------------------------------

    app.get(
      '/orgs',
      {
        schema: {
          tags,
          security,
          summary: 'Organizations the caller belongs to (System Admins: all)',
          querystring: NoQuery,
          response: { 200: Type.Object({ items: Type.Array(OrganizationSchema) }), ...problemResponses },
        },
      },
      async (request) => {
        const principal = await principalOf(request);
        requireScope(principal, 'tokens:read');
        const all = principal.effective.has('users:read');
        return { items: await Promise.all((await orgs.listOrgs(all ? null : principal.user.id)).map((org) => orgDto(principal, org))) };
      },
    );

    app.post(
      '/orgs',
      { schema: { tags, security, summary: 'Create an organization (System Admins)', body: CreateOrgSchema, response: { 201: OrganizationSchema, ...problemResponses } } },
      async (request, reply) => {
        const principal = await principalOf(request);
        requireScope(principal, 'users:write');
        const name = request.body.name.trim();
        const id = publicId('org');
        try {
          const org = await orgs.createOrg({ id, name, created_at: nowIso(ctx) }, auditEntry(ctx, request, principal, 'org.created', { detail: { org_id: id, name } }));
          return reply.code(201).send(await orgDto(principal, org));
        } catch (error) {
          if (error instanceof ConflictError) throw problems.conflict(error.message);
          throw error;
        }
      },
    );

    app.get(
      '/orgs/:id',
      { schema: { tags, security, summary: 'One organization', params: OrgParams, querystring: NoQuery, response: { 200: OrganizationSchema, ...problemResponses } } },
      async (request) => {
        const principal = await principalOf(request);
        requireScope(principal, 'tokens:read');
        const { org, access } = await orgFor(principal, request.params.id);
        return await orgDto(principal, org, access);
      },
    );

    app.delete(
      '/orgs/:id',
      {
        schema: {
          tags,
          security,
          summary: 'Delete an organization with its groups, memberships, tokens and technical users (System Admins)',
          params: OrgParams,
          body: ConfirmSchema,
          response: { 204: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        const principal = await principalOf(request);
        requireScope(principal, 'users:write');
        const { org } = await orgFor(principal, request.params.id);
        await confirmPassword(ctx, request, principal, request.body.password, 'delete this organization');
        const deleted = await orgs.deleteOrg(
          org.id,
          auditEntry(ctx, request, principal, 'org.deleted', { detail: { org_id: org.id, name: org.name } }),
          auditEntry(ctx, request, principal, 'token.deleted', { detail: { reason: 'organization_deleted', org_id: org.id } }),
        );
        if (deleted === null) throw problems.notFound('That organization');
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/orgs/:id/members',
      {
        schema: { tags, security, summary: "The organization's members, technical users included", params: OrgParams, querystring: NoQuery, response: { 200: Type.Object({ items: Type.Array(MembershipSchema) }), ...problemResponses } },
      },
      async (request) => {
        const principal = await principalOf(request);
        requireScope(principal, 'tokens:read');
        const { org, access } = await orgFor(principal, request.params.id);
        requireTokenAccess(access, 'organization', false);
        return { items: await orgs.listMembers('organization', org.id) };
      },
    );

    app.put(
      '/orgs/:id/members/:user_id',
      {
        schema: { tags, security, summary: 'Add a member or change their role (System Admins)', params: OrgMemberParams, body: MemberRoleSchema, response: { 200: MembershipSchema, ...problemResponses } },
      },
      async (request) => {
        const principal = await principalOf(request);
        requireScope(principal, 'users:write');
        const { org } = await orgFor(principal, request.params.id);
        return setMember(request, principal, 'organization', org.id, request.params.user_id, request.body.role);
      },
    );

    app.delete(
      '/orgs/:id/members/:user_id',
      {
        schema: { tags, security, summary: 'Remove a member (System Admins)', params: OrgMemberParams, body: ConfirmSchema, response: { 204: Type.Null(), ...problemResponses } },
      },
      async (request, reply) => {
        const principal = await principalOf(request);
        requireScope(principal, 'users:write');
        const { org } = await orgFor(principal, request.params.id);
        await removeMember(request, principal, 'organization', org.id, request.params.user_id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/orgs/:id/tokens',
      {
        schema: { tags, security, summary: "The organization's access tokens (organization admins)", params: OrgParams, querystring: NoQuery, response: { 200: tokenPage, ...problemResponses } },
      },
      async (request) => {
        const principal = await principalOf(request);
        requireScope(principal, 'tokens:read');
        const { org, access } = await orgFor(principal, request.params.id);
        requireTokenAccess(access, 'organization', false);
        return { items: (await orgs.listScopedTokens('organization', org.id)).map((t) => tokenDto(ctx, t)), next_cursor: null };
      },
    );

    app.post(
      '/orgs/:id/tokens',
      {
        schema: {
          tags,
          security,
          summary: 'Create an organization access token and its technical user (the secret is in this answer only)',
          params: OrgParams,
          body: CreateScopedTokenSchema,
          response: { 201: CreatedTokenSchema, ...problemResponses },
        },
      },
      async (request, reply) => {
        const principal = await principalOf(request);
        requireScope(principal, 'tokens:write');
        const { org, access } = await orgFor(principal, request.params.id);
        requireTokenAccess(access, 'organization', true);
        return createScopedToken(request, reply, principal, 'organization', org, request.body);
      },
    );

    // ---- groups ----------------------------------------------------------------------------------

    app.get(
      '/orgs/:id/groups',
      {
        schema: { tags, security, summary: "The organization's groups the caller can see", params: OrgParams, querystring: NoQuery, response: { 200: Type.Object({ items: Type.Array(GroupSchema) }), ...problemResponses } },
      },
      async (request) => {
        const principal = await principalOf(request);
        requireScope(principal, 'tokens:read');
        const { org } = await orgFor(principal, request.params.id);
        const levels = await Promise.all(
          (await orgs.listGroups(org.id)).map(async (group) => ({ group, access: await accessTo(orgs, principal, 'group', group.id, group.org_id) })),
        );
        const items = await Promise.all(levels.filter(({ access }) => access !== 'none').map(({ group, access }) => groupDto(principal, group, access)));
        return { items };
      },
    );

    app.post(
      '/orgs/:id/groups',
      { schema: { tags, security, summary: 'Create a group (System Admins)', params: OrgParams, body: CreateGroupSchema, response: { 201: GroupSchema, ...problemResponses } } },
      async (request, reply) => {
        const principal = await principalOf(request);
        requireScope(principal, 'users:write');
        const { org } = await orgFor(principal, request.params.id);
        const name = request.body.name.trim();
        const id = publicId('grp');
        try {
          const group = await orgs.createGroup(
            { id, org_id: org.id, name, created_at: nowIso(ctx) },
            auditEntry(ctx, request, principal, 'group.created', { detail: { org_id: org.id, group_id: id, name } }),
          );
          return reply.code(201).send(await groupDto(principal, group));
        } catch (error) {
          if (error instanceof ConflictError) throw problems.conflict(error.message);
          throw error;
        }
      },
    );

    app.get(
      '/orgs/:id/groups/:gid',
      { schema: { tags, security, summary: 'One group', params: GroupParams, querystring: NoQuery, response: { 200: GroupSchema, ...problemResponses } } },
      async (request) => {
        const principal = await principalOf(request);
        requireScope(principal, 'tokens:read');
        const { group, access } = await groupFor(principal, request.params.id, request.params.gid);
        return await groupDto(principal, group, access);
      },
    );

    app.delete(
      '/orgs/:id/groups/:gid',
      {
        schema: {
          tags,
          security,
          summary: 'Delete a group with its memberships, tokens and technical users (System Admins)',
          params: GroupParams,
          body: ConfirmSchema,
          response: { 204: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        const principal = await principalOf(request);
        requireScope(principal, 'users:write');
        const { group } = await groupFor(principal, request.params.id, request.params.gid);
        await confirmPassword(ctx, request, principal, request.body.password, 'delete this group');
        const deleted = await orgs.deleteGroup(
          group.id,
          auditEntry(ctx, request, principal, 'group.deleted', { detail: { org_id: group.org_id, group_id: group.id, name: group.name } }),
          auditEntry(ctx, request, principal, 'token.deleted', { detail: { reason: 'group_deleted', group_id: group.id } }),
        );
        if (deleted === null) throw problems.notFound('That group');
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/orgs/:id/groups/:gid/members',
      {
        schema: { tags, security, summary: "The group's members, technical users included", params: GroupParams, querystring: NoQuery, response: { 200: Type.Object({ items: Type.Array(MembershipSchema) }), ...problemResponses } },
      },
      async (request) => {
        const principal = await principalOf(request);
        requireScope(principal, 'tokens:read');
        const { group, access } = await groupFor(principal, request.params.id, request.params.gid);
        requireTokenAccess(access, 'group', false);
        return { items: await orgs.listMembers('group', group.id) };
      },
    );

    app.put(
      '/orgs/:id/groups/:gid/members/:user_id',
      {
        schema: { tags, security, summary: 'Add a group member or change their role (System Admins)', params: GroupMemberParams, body: MemberRoleSchema, response: { 200: MembershipSchema, ...problemResponses } },
      },
      async (request) => {
        const principal = await principalOf(request);
        requireScope(principal, 'users:write');
        const { group } = await groupFor(principal, request.params.id, request.params.gid);
        return setMember(request, principal, 'group', group.id, request.params.user_id, request.body.role);
      },
    );

    app.delete(
      '/orgs/:id/groups/:gid/members/:user_id',
      {
        schema: { tags, security, summary: 'Remove a group member (System Admins)', params: GroupMemberParams, body: ConfirmSchema, response: { 204: Type.Null(), ...problemResponses } },
      },
      async (request, reply) => {
        const principal = await principalOf(request);
        requireScope(principal, 'users:write');
        const { group } = await groupFor(principal, request.params.id, request.params.gid);
        await removeMember(request, principal, 'group', group.id, request.params.user_id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/orgs/:id/groups/:gid/tokens',
      {
        schema: { tags, security, summary: "The group's access tokens (group admins, organization admins)", params: GroupParams, querystring: NoQuery, response: { 200: tokenPage, ...problemResponses } },
      },
      async (request) => {
        const principal = await principalOf(request);
        requireScope(principal, 'tokens:read');
        const { group, access } = await groupFor(principal, request.params.id, request.params.gid);
        requireTokenAccess(access, 'group', false);
        return { items: (await orgs.listScopedTokens('group', group.id)).map((t) => tokenDto(ctx, t)), next_cursor: null };
      },
    );

    app.post(
      '/orgs/:id/groups/:gid/tokens',
      {
        schema: {
          tags,
          security,
          summary: 'Create a group access token and its technical user (the secret is in this answer only)',
          params: GroupParams,
          body: CreateScopedTokenSchema,
          response: { 201: CreatedTokenSchema, ...problemResponses },
        },
      },
      async (request, reply) => {
        const principal = await principalOf(request);
        requireScope(principal, 'tokens:write');
        const { group, access } = await groupFor(principal, request.params.id, request.params.gid);
        requireTokenAccess(access, 'group', true);
        return createScopedToken(request, reply, principal, 'group', group, request.body);
      },
    );
  };
}
