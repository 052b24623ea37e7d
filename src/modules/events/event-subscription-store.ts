import { formatChinaInstant } from '../../domain/china-time.ts';
import type { Instant } from '../../domain/types.ts';
import type { LoopEventKind } from './loop-event.ts';
import { isLoopEventKind, LOOP_EVENT_KINDS } from './loop-event-kinds.ts';
import { resolvedDestinationRefusal, systemResolver, type ResolveHost } from './webhook-destination-lookup.ts';
import { PUBLIC_DESTINATIONS_ONLY, type WebhookDestinationPolicy } from './webhook-destination-policy.ts';
import { webhookUrlRefusal } from './webhook-url.ts';
import type { WebhookUrlRefusal, WebhookUrlRefusalReason } from './webhook-url-refusal.ts';
import type { EventSubscription as SubscriptionRow, PrismaClient } from '../../generated/prisma/client.ts';

/** An authority's standing order for loop events of some kinds, delivered to a webhook. */
export interface EventSubscription {
  id: string;
  authorityCode: string;
  kinds: LoopEventKind[];
  webhookUrl: string;
  createdBy: string;
  createdAt: Instant;
  disabledAt: Instant | null;
  disabledBy: string | null;
}

export interface EventSubscriptionInput {
  authorityCode: string;
  kinds: readonly string[];
  webhookUrl: string;
}

/**
 * A subscription input that cannot be stored; `problems` names every fault found, and
 * `webhookUrlReason` why the webhook URL is refused when it is (a client reads it as `reason`).
 */
export class EventSubscriptionInputError extends Error {
  constructor(
    readonly problems: readonly string[],
    readonly webhookUrlReason?: WebhookUrlRefusalReason,
  ) {
    super(`invalid event subscription: ${problems.join('; ')}`);
    this.name = 'EventSubscriptionInputError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_AUTHORITY_CODE_LENGTH = 64;

/** Subscriptions in the store; a new or disabled one applies to events published after it. */
export class EventSubscriptionStore {
  readonly #prisma: PrismaClient;
  readonly #destinations: WebhookDestinationPolicy;
  readonly #resolve: ResolveHost;

  constructor(
    prisma: PrismaClient,
    destinations: WebhookDestinationPolicy = PUBLIC_DESTINATIONS_ONLY,
    resolve: ResolveHost = systemResolver,
  ) {
    this.#prisma = prisma;
    this.#destinations = destinations;
    this.#resolve = resolve;
  }

  /** Throws EventSubscriptionInputError naming every problem. */
  async create(input: EventSubscriptionInput, by: string): Promise<EventSubscription> {
    const urlRefusal = webhookUrlRefusal(input.webhookUrl, this.#destinations);
    const problems = [...subscriptionInputProblems(input), ...webhookUrlProblems(urlRefusal)];
    if (problems.length > 0) throw new EventSubscriptionInputError(problems, urlRefusal?.reason);
    // Only a URL that passes every other check is worth a DNS lookup.
    const resolvedRefusal = await resolvedDestinationRefusal(input.webhookUrl, this.#destinations, this.#resolve);
    if (resolvedRefusal !== null)
      throw new EventSubscriptionInputError(webhookUrlProblems(resolvedRefusal), resolvedRefusal.reason);
    const row = await this.#prisma.eventSubscription.create({
      data: {
        authorityCode: input.authorityCode.trim(),
        kinds: [...new Set(input.kinds)],
        webhookUrl: input.webhookUrl,
        createdBy: by,
      },
    });
    return toSubscription(row);
  }

  /** One subscription by id, disabled or not; undefined for an unknown id. */
  async find(id: string): Promise<EventSubscription | undefined> {
    if (!UUID.test(id)) return undefined;
    const row = await this.#prisma.eventSubscription.findUnique({ where: { id } });
    return row ? toSubscription(row) : undefined;
  }

  /** Newest first. */
  async list(filter: { authorityCode?: string; includeDisabled?: boolean } = {}): Promise<EventSubscription[]> {
    const rows = await this.#prisma.eventSubscription.findMany({
      where: {
        ...(filter.authorityCode !== undefined ? { authorityCode: filter.authorityCode } : {}),
        ...(filter.includeDisabled ? {} : { disabledAt: null }),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    });
    return rows.map(toSubscription);
  }

  /**
   * Stops new events reaching the subscription; deliveries already queued still go out, since
   * they were promised before. Idempotent: disabling twice keeps the first (who, when).
   * Undefined when no subscription has that id.
   */
  async disable(id: string, by: string): Promise<EventSubscription | undefined> {
    if (!UUID.test(id)) return undefined;
    await this.#prisma.eventSubscription.updateMany({
      where: { id, disabledAt: null },
      data: { disabledAt: new Date(), disabledBy: by },
    });
    const row = await this.#prisma.eventSubscription.findUnique({ where: { id } });
    return row ? toSubscription(row) : undefined;
  }
}

/** What is wrong with the authority and the kinds; the webhook URL is judged apart (webhookUrlRefusal). */
function subscriptionInputProblems(input: EventSubscriptionInput): string[] {
  const problems: string[] = [];
  const code = input.authorityCode.trim();
  if (code === '') problems.push('authorityCode: the authority is required');
  if (code.length > MAX_AUTHORITY_CODE_LENGTH)
    problems.push(`authorityCode: at most ${MAX_AUTHORITY_CODE_LENGTH} characters`);
  if (input.kinds.length === 0) problems.push('kinds: at least one event kind is required');
  for (const kind of input.kinds) {
    if (!isLoopEventKind(kind))
      problems.push(`kinds: ${JSON.stringify(kind)} is not one of ${LOOP_EVENT_KINDS.join(', ')}`);
  }
  return problems;
}

function webhookUrlProblems(refusal: WebhookUrlRefusal | null): string[] {
  return refusal === null ? [] : [`webhookUrl: ${refusal.message}`];
}

export function toSubscription(row: SubscriptionRow): EventSubscription {
  return {
    id: row.id,
    authorityCode: row.authorityCode,
    kinds: row.kinds.filter(isLoopEventKind),
    webhookUrl: row.webhookUrl,
    createdBy: row.createdBy,
    createdAt: formatChinaInstant(row.createdAt.getTime()),
    disabledAt: row.disabledAt && formatChinaInstant(row.disabledAt.getTime()),
    disabledBy: row.disabledBy,
  };
}
