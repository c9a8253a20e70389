/** Users, their activation and their roles. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireScope } from '../auth/authenticator.ts';
import { ROLE_SYSTEM_ADMIN, ROLE_SYSTEM_USER } from '../catalog/catalog.ts';
import { auditEntry, decodeCursor, encodeCursor, nowIso, parseLimit, userDto, type AppContext } from '../http/context.ts';
import { publicId } from '../auth/credentials.ts';
import { hashPassword } from '../auth/passwords.ts';
import { problems } from '../http/problems.ts';
import { ConflictError, type UserRecord } from '../store/store.ts';
import {
  CreateUserSchema,
  IdParams,
  NoQuery,
  pageOf,
  problemResponses,
  UserListQuerySchema,
  UserPatchSchema,
  UserRolesSchema,
  UserSchema,
  SECURITY,
} from '../http/schemas.ts';

const security = SECURITY;
const tags = ['users'];

export function userRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    const principalOf = ctx.auth.authenticate.bind(ctx.auth);

    function checkRoles(roles: string[]): string[] {
      const unknown = roles.filter((r) => !ctx.catalog.isRole(r));
      if (unknown.length) throw problems.field('roles', `Unknown role: ${unknown.slice(0, 5).join(', ')}.`);
      return [...new Set(roles)];
    }

    /** Never leave the server without an active System Admin. */
    async function keepAnAdmin(user: UserRecord, losesAdmin: boolean): Promise<void> {
      if (losesAdmin && user.active && user.roles.includes(ROLE_SYSTEM_ADMIN) && await ctx.store.countActiveUsersWithRole(ROLE_SYSTEM_ADMIN) <= 1) {
        throw problems.conflict('This is the last active System Admin; make another user an admin first.');
      }
    }

    app.get(
      '/users/me',
      { schema: { tags, security, summary: 'The caller', querystring: NoQuery, response: { 200: UserSchema, ...problemResponses } } },
      async (request) => userDto(ctx, (await principalOf(request)).user),
    );

    app.get(
      '/users',
      {
        schema: { tags, security, summary: 'List and search users', querystring: UserListQuerySchema, response: { 200: pageOf(UserSchema), ...problemResponses } },
      },
      async (request) => {
        const principal = await principalOf(request);
        requireScope(principal, 'users:read');
        const limit = parseLimit(request.query.limit);
        const after = decodeCursor(request.query.cursor, (v): v is string => typeof v === 'string');
        const rows = await ctx.store.listUsers({ text: request.query.q?.trim() || null, after, limit: limit + 1 });
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        return {
          items: page.map((u) => userDto(ctx, u)),
          next_cursor: rows.length > limit && last ? encodeCursor(last.username.toLowerCase()) : null,
        };
      },
    );

    app.post(
      '/users',
      { schema: { tags, security, summary: 'Create a user', body: CreateUserSchema, response: { 201: UserSchema, ...problemResponses } } },
      async (request, reply) => {
        const principal = await principalOf(request);
        requireScope(principal, 'users:write');
        const body = request.body;
        if (body.roles !== undefined) requireScope(principal, 'roles:write');
        const roles = checkRoles(body.roles ?? [ROLE_SYSTEM_USER]);
        if (await ctx.store.getUserByUsername(body.username)) throw problems.conflict(`The username "${body.username}" is taken.`);
        const id = publicId('usr');
        try {
          const user = await ctx.store.createUser(
            {
              id,
              username: body.username,
              display_name: body.display_name,
              kind: 'person',
              password_hash: await hashPassword(body.password),
              roles,
              created_at: nowIso(ctx),
            },
            auditEntry(ctx, request, principal, 'user.created', { owner_id: id, detail: { username: body.username, roles: roles.join(' ') } }),
          );
          return reply.code(201).send(userDto(ctx, user));
        } catch (error) {
          if (error instanceof ConflictError) throw problems.conflict(error.message);
          throw error;
        }
      },
    );

    app.get(
      '/users/:id',
      { schema: { tags, security, summary: 'One user', params: IdParams, response: { 200: UserSchema, ...problemResponses } } },
      async (request) => {
        const principal = await principalOf(request);
        if (request.params.id !== principal.user.id) requireScope(principal, 'users:read');
        const user = await ctx.store.getUser(request.params.id);
        if (!user) throw problems.notFound('That user');
        return userDto(ctx, user);
      },
    );

    app.patch(
      '/users/:id',
      {
        schema: {
          tags,
          security,
          summary: 'Rename, deactivate / reactivate, or set a new password',
          params: IdParams,
          body: UserPatchSchema,
          response: { 200: UserSchema, ...problemResponses },
        },
      },
      async (request) => {
        const principal = await principalOf(request);
        requireScope(principal, 'users:write');
        const user = await ctx.store.getUser(request.params.id);
        if (!user) throw problems.notFound('That user');
        const body = request.body;
        if (body.active === false && user.id === principal.user.id) throw problems.conflict('You cannot deactivate your own account.');
        await keepAnAdmin(user, body.active === false);
        const action =
          body.active === false && user.active ? 'user.deactivated' : body.active === true && !user.active ? 'user.reactivated' : 'user.updated';
        const fields = Object.keys(body).join(' ');
        const updated = await ctx.store.updateUser(
          user.id,
          {
            display_name: body.display_name,
            active: body.active,
            password_hash: body.password === undefined ? undefined : await hashPassword(body.password),
          },
          auditEntry(ctx, request, principal, action, { owner_id: user.id, detail: { fields } }),
        );
        if (!updated) throw problems.notFound('That user');
        return userDto(ctx, updated);
      },
    );

    app.put(
      '/users/:id/roles',
      {
        schema: {
          tags,
          security,
          summary: 'Set exactly these roles',
          params: IdParams,
          body: UserRolesSchema,
          response: { 200: UserSchema, ...problemResponses },
        },
      },
      async (request) => {
        const principal = await principalOf(request);
        requireScope(principal, 'roles:write');
        const user = await ctx.store.getUser(request.params.id);
        if (!user) throw problems.notFound('That user');
        const roles = checkRoles(request.body.roles);
        await keepAnAdmin(user, !roles.includes(ROLE_SYSTEM_ADMIN));
        const updated = await ctx.store.setUserRoles(
          user.id,
          roles,
          auditEntry(ctx, request, principal, 'user.roles_changed', { owner_id: user.id, detail: { roles: roles.join(' '), previous: user.roles.join(' ') } }),
        );
        if (!updated) throw problems.notFound('That user');
        return userDto(ctx, updated);
      },
    );
  };
}
