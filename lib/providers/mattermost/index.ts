/** The Mattermost provider as the kit publishes it (`patkit/providers/mattermost`). */
export { MattermostProvider, createMattermostProvider } from './provider.ts';
export { mattermostDescriptor } from './descriptor.ts';
export { MATTERMOST_EXPIRY_MAJOR, mattermostCapabilities, type MissingFeatures } from './capabilities.ts';
export { mattermostError } from './errors.ts';
export { MATTERMOST_TOKEN_ROLES } from './users.ts';
export * from './wire.ts';
