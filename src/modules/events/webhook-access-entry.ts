import { createHash } from 'node:crypto';
import { isValidUscc } from '../../identifiers/uscc.ts';
import { currentTraceId } from '../../platform/child-span.ts';
import type { AccessLogInput } from '../audit/index.ts';
import type { ClaimedDelivery } from './event-delivery-store.ts';

/** The access log's `reason` of a webhook attempt: it is no /graphql answer, and says so to an auditor. */
export const WEBHOOK_DELIVERY_REASON = 'webhook_delivery';

/**
 * The access-log entry of one webhook attempt, written before its body leaves: an event about a
 * subject sent to another agency is data about that subject received, as a /graphql answer is,
 * and `accessLog(subject:)` must find it after the delivery row is purged. Every attempt gets
 * one: a retry may be the copy that arrived. The caller is the subscription, on behalf of the
 * authority that owns it; the issuer is the gateway itself, as for the webhook receiver's own
 * permissions (loop-event-receivers.ts), since no token was presented. `queryHash` is the sha256
 * of the exact body sent, so a receiver's copy can be matched to its entry. An entry says the body
 * was sent, not that it arrived: its outcome is OK before the receiver answers.
 */
export function webhookAccessEntry(delivery: ClaimedDelivery, body: string, at: Date): AccessLogInput {
  return {
    at,
    durationMs: 0,
    callerSubject: `webhook-subscription:${delivery.subscription.id}`,
    issuer: 'gateway',
    authorityCode: delivery.subscription.authorityCode,
    roles: [],
    purpose: null,
    operationName: `webhook ${delivery.event.kind}`,
    queryHash: createHash('sha256').update(body, 'utf8').digest('hex'),
    // An event about no enterprise (a sharing request's, keyed `sharing-request:<id>`) names none.
    subjects: isValidUscc(delivery.event.subjectUscc) ? [delivery.event.subjectUscc] : [],
    conditionalFields: [],
    notSharedFields: [],
    deniedFields: [],
    outcome: 'OK',
    clientAddress: null,
    reason: WEBHOOK_DELIVERY_REASON,
    traceId: currentTraceId(),
  };
}
