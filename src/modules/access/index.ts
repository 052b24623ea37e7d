// The access module's public surface: other modules import from here only.
export { assertGrantConfined } from './confined-grants.ts';
export { DerivedOutputs } from './derived-outputs.ts';
export { DROPPED_RECORD_REVEALS, JURISDICTION_CONFINED_RESOURCES } from './dropped-record-reveals.ts';
export { GrantInputError, type Grant, type GrantInput, type GrantStore } from './grant-store.ts';
export { jurisdictionPrefix, withinJurisdiction } from './jurisdiction.ts';
export { isOwnedBy } from './owning-authorities.ts';
export { ServedArea } from './served-area.ts';
export { servedAreaSource, type ServedAreaSource } from './served-area-source.ts';
export { RequestPermissions } from './request-permissions.ts';
export type { RowPlace } from './field-decision.ts';
export { placedBy, type PlaceOf, type RowPlaces } from './row-places.ts';
export { readRevealDeclarations, type RevealDeclarations } from './reveal-declarations.ts';
export { readSharingDeclarations, type SharingDeclaration } from './sharing-declarations.ts';
