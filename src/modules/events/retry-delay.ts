// The webhook back-off is the outbox's, shared with every background delivery.
export { retryDelayMs } from '../../platform/outbox/backoff.ts';
