export { ResilientHttpClient } from './resilient-http-client.ts';
export type { QueryValue, UpstreamCall } from './resilient-http-client.ts';
export type { ResilientHttpOptions } from './options.ts';
export type { Envelope, EnvelopeResult } from './envelope.ts';
export { isRecord } from './envelope.ts';
export type { ConnectorLogger } from './logger.ts';
export { silentLogger } from './logger.ts';
export { inBatches, MAX_BATCH_KEYS } from './batches.ts';
export { networkFailureReason, toUpstreamError } from './to-upstream-error.ts';
