/**
 * What the popup's create wizard offers beyond names and scopes, where the server can: templates
 * to start from, resource types and resources to bound a token to. Read-only lookups.
 */
import { requireOperation } from '../../../lib/providers/require-operation.ts';
import type { BackgroundContext } from '../context.ts';
import type { Handlers } from './handler.ts';

export type CreateOptionMessage = 'server.templates' | 'server.resourceTypes' | 'server.resources';

export function createOptionHandlers(bg: BackgroundContext): Handlers<CreateOptionMessage> {
  return {
    'server.templates': ({ serverId }) => bg.call(serverId, (p) => requireOperation(p, 'listTemplates')()),
    'server.resourceTypes': ({ serverId }) => bg.call(serverId, (p) => requireOperation(p, 'listResourceTypes')()),
    'server.resources': ({ serverId, query }) => bg.call(serverId, (p) => requireOperation(p, 'listResources')(query)),
  };
}
