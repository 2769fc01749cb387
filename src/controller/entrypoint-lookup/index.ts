/** Image ENTRYPOINT/CMD lookup through the OCI distribution API (steps without `command`). */
export { makeRegistryLookup, prefetchImageEntrypoints, type RegistryLookup, type RegistryLookupOptions, type ImageLookupResult, type LookupContext } from './lookup.js';
export { ImageLookupError, RegistrySession, parseChallenge, type Challenge, type LookupFailure, type Platform } from './registry.js';
export { parseImageReference, pinnedReference, type ImageReference } from './reference.js';
export { credentialsFor, secretAuths, keyHost, type RegistryCredentials } from './credentials.js';
