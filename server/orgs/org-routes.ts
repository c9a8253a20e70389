/**
 * Organisation routes: organisations, groups, memberships, and the tokens of organisations and
 * groups. Who may see a level is decided in `org-levels.ts` (rules in `auth/org-access.ts`), changes
 * in `org-service.ts` and `scoped-tokens.ts`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiInstance } from '../http/api-instance.ts';
import { Type } from 'typebox';
import { ConfirmSchema, CreatedTokenSchema, NoQuery, pageOf, problemResponses, SECURITY, TokenMetaSchema } from '../http/schemas.ts';
import { confirmPassword } from '../auth/password-confirmation.ts';
import { sendSecret } from '../http/secret-reply.ts';
import { tokenDto } from '../tokens/token-dto.ts';
import { groupDto, groupFor, orgDto, orgFor, requireTokenAccess, visibleGroups, visibleOrgs } from './org-levels.ts';
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
  OrgPolicyPatchSchema,
} from './org-schemas.ts';
import { createGroup, createOrg, deleteGroup, deleteOrg, removeMember, setMember, updateOrgPolicy } from './org-service.ts';
import { problems } from '../http/problems.ts';
import { createScopedToken } from './scoped-tokens.ts';

const security = SECURITY;
const tags = ['organizations'];
const tokenPage = pageOf(TokenMetaSchema);
const members = Type.Object({ items: Type.Array(MembershipSchema) });

export const orgRoutes: FastifyPluginAsyncTypebox = async (app) => {
  organizationRoutes(app);
  organizationMemberRoutes(app);
  organizationTokenRoutes(app);
  groupRoutes(app);
  groupMemberRoutes(app);
  groupTokenRoutes(app);
};

/** Organisations: list, create, read, delete. */
function organizationRoutes(app: ApiInstance): void {
  const ctx = app.ctx;
  const orgs = app.ctx.store.orgs;

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
      const { principal } = await app.authorize(request, 'tokens:read');
      return { items: await visibleOrgs(orgs, principal) };
    },
  );

  app.post(
    '/orgs',
    { schema: { tags, security, summary: 'Create an organization (System Admins)', body: CreateOrgSchema, response: { 201: OrganizationSchema, ...problemResponses } } },
    async (request, reply) => {
      const caller = await app.authorize(request, 'users:write');
      const org = await createOrg(ctx, caller, request.body.name.trim());
      return reply.code(201).send(await orgDto(orgs, caller.principal, org));
    },
  );

  app.get(
    '/orgs/:id',
    { schema: { tags, security, summary: 'One organization', params: OrgParams, querystring: NoQuery, response: { 200: OrganizationSchema, ...problemResponses } } },
    async (request) => {
      const { principal } = await app.authorize(request, 'tokens:read');
      const { org, access } = await orgFor(orgs, principal, request.params.id);
      return await orgDto(orgs, principal, org, access);
    },
  );

  app.patch(
    '/orgs/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change the organization’s token policies: approval of new tokens, lifetime cap (System Admins, its admins)',
        params: OrgParams,
        body: OrgPolicyPatchSchema,
        response: { 200: OrganizationSchema, ...problemResponses },
      },
    },
    async (request) => {
      const caller = await app.authorize(request, 'tokens:write');
      const { org, access } = await orgFor(orgs, caller.principal, request.params.id);
      if (access !== 'manage') throw problems.forbidden('Changing an organization’s token policies needs its admin role or the users:write permission.');
      return await orgDto(orgs, caller.principal, await updateOrgPolicy(ctx, caller, org, request.body), access);
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
      const caller = await app.authorize(request, 'users:write');
      const { org } = await orgFor(orgs, caller.principal, request.params.id);
      await confirmPassword(ctx, caller, request.body.password, 'delete this organization');
      await deleteOrg(ctx, caller, org);
      return reply.code(204).send(null);
    },
  );
}

/** An organisation's members. */
function organizationMemberRoutes(app: ApiInstance): void {
  const ctx = app.ctx;
  const orgs = app.ctx.store.orgs;

  app.get(
    '/orgs/:id/members',
    {
      schema: { tags, security, summary: "The organization's members, technical users included", params: OrgParams, querystring: NoQuery, response: { 200: members, ...problemResponses } },
    },
    async (request) => {
      const { principal } = await app.authorize(request, 'tokens:read');
      const { org, access } = await orgFor(orgs, principal, request.params.id);
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
      const caller = await app.authorize(request, 'users:write');
      const { org } = await orgFor(orgs, caller.principal, request.params.id);
      return setMember(ctx, caller, 'organization', org.id, request.params.user_id, request.body.role);
    },
  );

  app.delete(
    '/orgs/:id/members/:user_id',
    {
      schema: { tags, security, summary: 'Remove a member (System Admins)', params: OrgMemberParams, body: ConfirmSchema, response: { 204: Type.Null(), ...problemResponses } },
    },
    async (request, reply) => {
      const caller = await app.authorize(request, 'users:write');
      const { org } = await orgFor(orgs, caller.principal, request.params.id);
      await removeMember(ctx, caller, 'organization', org.id, request.params.user_id);
      return reply.code(204).send(null);
    },
  );
}

/** An organisation's access tokens. */
function organizationTokenRoutes(app: ApiInstance): void {
  const ctx = app.ctx;
  const orgs = app.ctx.store.orgs;

  app.get(
    '/orgs/:id/tokens',
    {
      schema: { tags, security, summary: "The organization's access tokens (organization admins)", params: OrgParams, querystring: NoQuery, response: { 200: tokenPage, ...problemResponses } },
    },
    async (request) => {
      const { principal } = await app.authorize(request, 'tokens:read');
      const { org, access } = await orgFor(orgs, principal, request.params.id);
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
      const caller = await app.authorize(request, 'tokens:write');
      const { org, access } = await orgFor(orgs, caller.principal, request.params.id);
      requireTokenAccess(access, 'organization', true);
      const issued = await createScopedToken(ctx, caller, 'organization', org, request.body);
      return sendSecret(reply, 201, { token: tokenDto(ctx, issued.token), secret: issued.secret });
    },
  );
}

/** An organisation's groups: list, create, read, delete. */
function groupRoutes(app: ApiInstance): void {
  const ctx = app.ctx;
  const orgs = app.ctx.store.orgs;

  app.get(
    '/orgs/:id/groups',
    {
      schema: { tags, security, summary: "The organization's groups the caller can see", params: OrgParams, querystring: NoQuery, response: { 200: Type.Object({ items: Type.Array(GroupSchema) }), ...problemResponses } },
    },
    async (request) => {
      const { principal } = await app.authorize(request, 'tokens:read');
      const { org } = await orgFor(orgs, principal, request.params.id);
      return { items: await visibleGroups(orgs, principal, org.id) };
    },
  );

  app.post(
    '/orgs/:id/groups',
    { schema: { tags, security, summary: 'Create a group (System Admins)', params: OrgParams, body: CreateGroupSchema, response: { 201: GroupSchema, ...problemResponses } } },
    async (request, reply) => {
      const caller = await app.authorize(request, 'users:write');
      const { org } = await orgFor(orgs, caller.principal, request.params.id);
      const group = await createGroup(ctx, caller, org.id, request.body.name.trim());
      return reply.code(201).send(await groupDto(orgs, caller.principal, group));
    },
  );

  app.get(
    '/orgs/:id/groups/:gid',
    { schema: { tags, security, summary: 'One group', params: GroupParams, querystring: NoQuery, response: { 200: GroupSchema, ...problemResponses } } },
    async (request) => {
      const { principal } = await app.authorize(request, 'tokens:read');
      const { group, access } = await groupFor(orgs, principal, request.params.id, request.params.gid);
      return await groupDto(orgs, principal, group, access);
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
      const caller = await app.authorize(request, 'users:write');
      const { group } = await groupFor(orgs, caller.principal, request.params.id, request.params.gid);
      await confirmPassword(ctx, caller, request.body.password, 'delete this group');
      await deleteGroup(ctx, caller, group);
      return reply.code(204).send(null);
    },
  );
}

/** A group's members. */
function groupMemberRoutes(app: ApiInstance): void {
  const ctx = app.ctx;
  const orgs = app.ctx.store.orgs;

  app.get(
    '/orgs/:id/groups/:gid/members',
    {
      schema: { tags, security, summary: "The group's members, technical users included", params: GroupParams, querystring: NoQuery, response: { 200: members, ...problemResponses } },
    },
    async (request) => {
      const { principal } = await app.authorize(request, 'tokens:read');
      const { group, access } = await groupFor(orgs, principal, request.params.id, request.params.gid);
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
      const caller = await app.authorize(request, 'users:write');
      const { group } = await groupFor(orgs, caller.principal, request.params.id, request.params.gid);
      return setMember(ctx, caller, 'group', group.id, request.params.user_id, request.body.role);
    },
  );

  app.delete(
    '/orgs/:id/groups/:gid/members/:user_id',
    {
      schema: { tags, security, summary: 'Remove a group member (System Admins)', params: GroupMemberParams, body: ConfirmSchema, response: { 204: Type.Null(), ...problemResponses } },
    },
    async (request, reply) => {
      const caller = await app.authorize(request, 'users:write');
      const { group } = await groupFor(orgs, caller.principal, request.params.id, request.params.gid);
      await removeMember(ctx, caller, 'group', group.id, request.params.user_id);
      return reply.code(204).send(null);
    },
  );
}

/** A group's access tokens. */
function groupTokenRoutes(app: ApiInstance): void {
  const ctx = app.ctx;
  const orgs = app.ctx.store.orgs;

  app.get(
    '/orgs/:id/groups/:gid/tokens',
    {
      schema: { tags, security, summary: "The group's access tokens (group admins, organization admins)", params: GroupParams, querystring: NoQuery, response: { 200: tokenPage, ...problemResponses } },
    },
    async (request) => {
      const { principal } = await app.authorize(request, 'tokens:read');
      const { group, access } = await groupFor(orgs, principal, request.params.id, request.params.gid);
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
      const caller = await app.authorize(request, 'tokens:write');
      const { group, access } = await groupFor(orgs, caller.principal, request.params.id, request.params.gid);
      requireTokenAccess(access, 'group', true);
      const issued = await createScopedToken(ctx, caller, 'group', group, request.body);
      return sendSecret(reply, 201, { token: tokenDto(ctx, issued.token), secret: issued.secret });
    },
  );
}
