import type { EnforcementConnector } from '../../connectors/index.ts';
import { GatewayShortOfResourcesError, UpstreamBadResponseError } from '../../platform/errors.ts';
import { publicFailure } from '../../platform/public-failure.ts';
import type { AttemptOutcome } from '../../platform/outbox/index.ts';
import type { ClaimedDelivery } from './transfer-delivery-store.ts';

/**
 * One attempt to write a stored transfer to the enforcement system. The error stored with a
 * failed attempt is shown to both parties (`TransferDelivery.lastError`) and sent to the sender
 * (`TRANSFER_DELIVERY_FAILING`), neither of whom runs the case system: it is the client message
 * of the error catalogue, and any other text goes to the log only.
 */
export async function submitTransfer(
  enforcement: Pick<EnforcementConnector, 'submitClue'>,
  job: ClaimedDelivery,
  log: { warn(details: object, message: string): void },
): Promise<AttemptOutcome<string>> {
  try {
    const answer = await enforcement.submitClue(job.submission);
    return { kind: 'delivered', record: answer.clueId };
  } catch (error) {
    const failure = publicFailure(error);
    if (failure.code === 'INTERNAL_SERVER_ERROR' || failure.code === 'STORE_UNAVAILABLE')
      log.warn(
        { err: error, transferId: job.key },
        'transfer delivery attempt failed; its parties are told only its code',
      );
    const message = failure.message;
    // Not an attempt: the gateway could not open a connection; the system may be fine (outbox-runner.ts).
    if (error instanceof GatewayShortOfResourcesError) return { kind: 'deferred', error: message };
    return refusedForGood(error) ? { kind: 'permanent', error: message } : { kind: 'failed', error: message };
  }
}

/** The system answered 4xx to the submission itself: the same request will never be taken. 408 and 429 pass. */
function refusedForGood(error: unknown): boolean {
  if (!(error instanceof UpstreamBadResponseError)) return false;
  const status = /^http_(\d{3})$/.exec(error.reason)?.[1];
  return status !== undefined && status.startsWith('4') && status !== '408' && status !== '429';
}
