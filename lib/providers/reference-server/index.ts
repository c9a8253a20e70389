/**
 * The reference server's provider as the kit publishes it (`patkit/provider`, the same as
 * `patkit/providers/patkit`), with the types and the base a host needs to write a provider of
 * its own. The old `Patkit…` names stay as deprecated aliases.
 */
import { referenceServerBaseCapabilities, referenceServerCapabilities } from './capabilities.ts';
import { referenceServerDescriptor } from './descriptor.ts';
import { ReferenceServerProvider, createReferenceServerProvider } from './provider.ts';

export { ReferenceServerProvider, createReferenceServerProvider, referenceServerDescriptor, referenceServerBaseCapabilities, referenceServerCapabilities };
export { CSRF_HEADER } from './wire.ts';

/** @deprecated Use {@link createReferenceServerProvider}; the same function under its old name. */
export const createPatkitProvider = createReferenceServerProvider;
/** @deprecated Use {@link ReferenceServerProvider}; the same class under its old name. */
export const PatkitProvider = ReferenceServerProvider;
/** @deprecated Use {@link ReferenceServerProvider}. */
export type PatkitProvider = ReferenceServerProvider;
/** @deprecated Use {@link referenceServerDescriptor}. */
export const patkitDescriptor = referenceServerDescriptor;
/** @deprecated Use {@link referenceServerBaseCapabilities}. */
export const patkitBaseCapabilities = referenceServerBaseCapabilities;
/** @deprecated Use {@link referenceServerCapabilities}. */
export const patkitCapabilities = referenceServerCapabilities;

// A host that writes its own provider finds the same building blocks here as in `patkit/provider-api`.
export * from '../provider-api.ts';
