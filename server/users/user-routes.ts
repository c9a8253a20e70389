/** User routes: the caller, list and search, create, read, change (activation, password), roles. Rules in `user-service.ts`. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiInstance } from '../http/api-instance.ts';
import { requireScope } from '../auth/principal.ts';
import { decodeCursor, pageFrom, parseLimit } from '../http/paging.ts';
import { problems } from '../http/problems.ts';
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
import { userDto } from './user-dto.ts';
import { createUser, setRoles, updateUser } from './user-service.ts';

const security = SECURITY;
const tags = ['users'];

export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  userListRoutes(app);
  oneUserRoutes(app);
};

/** The caller, the list, a new user. */
function userListRoutes(app: ApiInstance): void {
  const ctx = app.ctx;

  app.get(
    '/users/me',
    { schema: { tags, security, summary: 'The caller', querystring: NoQuery, response: { 200: UserSchema, ...problemResponses } } },
    async (request) => userDto(ctx, (await app.authenticate(request)).user),
  );

  app.get(
    '/users',
    {
      schema: { tags, security, summary: 'List and search users', querystring: UserListQuerySchema, response: { 200: pageOf(UserSchema), ...problemResponses } },
    },
    async (request) => {
      await app.authorize(request, 'users:read');
      const limit = parseLimit(request.query.limit);
      const after = decodeCursor(request.query.cursor, (v): v is string => typeof v === 'string');
      const rows = await ctx.store.listUsers({ text: request.query.q?.trim() || null, after, limit: limit + 1 });
      return pageFrom(rows, limit, (u) => userDto(ctx, u), (last) => last.username.toLowerCase());
    },
  );

  app.post(
    '/users',
    { schema: { tags, security, summary: 'Create a user', body: CreateUserSchema, response: { 201: UserSchema, ...problemResponses } } },
    async (request, reply) => {
      const caller = await app.authorize(request, 'users:write');
      if (request.body.roles !== undefined) requireScope(caller.principal, 'roles:write');
      return reply.code(201).send(userDto(ctx, await createUser(ctx, caller, request.body)));
    },
  );
}

/** One user: read, change, roles. */
function oneUserRoutes(app: ApiInstance): void {
  const ctx = app.ctx;

  app.get(
    '/users/:id',
    { schema: { tags, security, summary: 'One user', params: IdParams, response: { 200: UserSchema, ...problemResponses } } },
    async (request) => {
      const principal = await app.authenticate(request);
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
      const caller = await app.authorize(request, 'users:write');
      return userDto(ctx, await updateUser(ctx, caller, request.params.id, request.body));
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
      const caller = await app.authorize(request, 'roles:write');
      return userDto(ctx, await setRoles(ctx, caller, request.params.id, request.body.roles));
    },
  );
}
