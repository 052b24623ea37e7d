// The revocation module's public surface: other modules and the gateway import from here only.
export { revocationModule, revocationSchema } from './module.ts';
export { createTokenRevocations } from './create-token-revocations.ts';
export type { TokenRevocations } from './token-revocations.ts';
