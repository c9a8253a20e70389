/** The npm registry provider as the kit publishes it (`patkit/providers/npm`). */
export { NpmRegistryProvider, createNpmRegistryProvider } from './provider.ts';
export { npmRegistryDescriptor } from './descriptor.ts';
export { npmRegistryCapabilities } from './capabilities.ts';
export { isCidr } from './cidr.ts';
export { npmError } from './errors.ts';
export { npmTokenToMeta, parseNpmToken, parseNpmTokenPage, sha512Hex, type NpmToken, type NpmTokenPage } from './wire.ts';
