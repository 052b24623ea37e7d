// The leased outbox every background delivery runs on (transfers to the enforcement system,
// webhooks). See docs/notes/outbox.md.
export { retryDelayMs, type BackoffSettings } from './backoff.ts';
export {
  LeasedQueue,
  type DeferralSettled,
  type FailureMark,
  type FailureSettled,
  type Lease,
  type QueueTable,
} from './leased-queue.ts';
export {
  OutboxRunner,
  type AttemptOutcome,
  type OutboxHandler,
  type OutboxHooks,
  type OutboxJobs,
  type OutboxRunnerSettings,
  type SettledOutcome,
} from './outbox-runner.ts';
export { loadOutboxSettings, type OutboxSettings } from './outbox-settings.ts';
