/** The Gitea / Forgejo provider as the kit publishes it (`patkit/providers/gitea`). */
export { GiteaProvider, createGiteaProvider } from './provider.ts';
export { giteaDescriptor } from './descriptor.ts';
export { giteaCapabilities } from './capabilities.ts';
export { GITEA_SCOPE_AREAS, giteaScopeCatalog } from './catalog.ts';
export { giteaError } from './errors.ts';
export * from './wire.ts';
