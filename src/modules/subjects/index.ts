// The subjects module's public surface: other modules import from here only.
export { type Loaders } from './create-loaders.ts';
export { type ReferenceCache, type ReferenceData } from './reference-cache.ts';
export { ROW_PLACES } from './row-places.ts';
