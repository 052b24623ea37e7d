import type { Prisma } from '../../generated/prisma/client.ts';
import { type PrismaClient } from '../../generated/prisma/client.ts';
import type { EventPublisher, LoopEvent, StoreClient } from './loop-event.ts';
import { isLoopEventKind } from './loop-event-kinds.ts';

/** Separates the outbox's advisory locks (two-key form) from every other lock in the store. */
const SUBJECT_LOCK_NAMESPACE = 4_404;

/**
 * The outbox's write side: `publish` stores each new event once (by its dedupe key) and queues
 * one delivery per subscription that wants it, in the caller's transaction when given one.
 *
 * In-order delivery per subject rests on `seq` order being commit order within a subject; two
 * transactions publishing for the same subject could otherwise commit in the opposite order to
 * the one they drew their numbers in. So each publishing transaction first takes a
 * transaction-scoped advisory lock per subject (in sorted order, so two never deadlock). Producers
 * should publish a transaction's events in one call: locks taken by separate calls are not sorted
 * together, and PostgreSQL would abort one of two transactions that cross.
 */
export class EventOutbox implements EventPublisher {
  readonly #prisma: PrismaClient;
  readonly #published: (when: 'committed' | 'at-commit') => void;

  /**
   * `published` is told `committed` after the outbox's own transaction committed events, and
   * `at-commit` when they were written in the producer's transaction, to be committed later (to
   * wake the dispatcher, or have it look often until then).
   */
  constructor(prisma: PrismaClient, published: (when: 'committed' | 'at-commit') => void = () => undefined) {
    this.#prisma = prisma;
    this.#published = published;
  }

  async publish(events: readonly LoopEvent[], db?: StoreClient): Promise<void> {
    if (events.length === 0) return;
    for (const event of events) checkEvent(event);
    if (db !== undefined && !isRootClient(db)) {
      // Inside the producer's transaction: its commit publishes, its rollback leaves nothing.
      await insertEvents(db, events);
      this.#published('at-commit');
      return;
    }
    await (db ?? this.#prisma).$transaction((tx) => insertEvents(tx, events));
    this.#published('committed');
  }
}

async function insertEvents(tx: Prisma.TransactionClient, events: readonly LoopEvent[]): Promise<void> {
  for (const subject of [...new Set(events.map((event) => event.subjectUscc))].sort()) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SUBJECT_LOCK_NAMESPACE}::int, hashtext(${subject}))`;
  }
  for (const event of events) {
    // ON CONFLICT DO NOTHING: a dedupe key published before (or by a concurrent transaction) yields no row.
    const [stored] = await tx.outboxEvent.createManyAndReturn({
      data: [
        {
          dedupeKey: event.dedupeKey,
          kind: event.kind,
          subjectUscc: event.subjectUscc,
          concerns: [...new Set(event.concerns)],
          occurredAt: event.occurredAt,
          payload: event.payload as Prisma.InputJsonObject,
        },
      ],
      skipDuplicates: true,
      select: { id: true, seq: true },
    });
    if (stored === undefined || event.concerns.length === 0) continue;
    await tx.$executeRaw`
      INSERT INTO event_delivery (id, event_id, subscription_id, subject_uscc, event_seq)
      SELECT gen_random_uuid(), ${stored.id}::uuid, s.id, ${event.subjectUscc}, ${stored.seq}
      FROM event_subscription s
      WHERE s.disabled_at IS NULL
        AND s.authority_code = ANY(${[...event.concerns]}::text[])
        AND ${event.kind} = ANY(s.kinds)`;
  }
}

/** A transaction's client lacks `$connect` (Prisma denies it there); `$transaction` it has, nesting by savepoints PGlite lacks. */
function isRootClient(db: StoreClient): db is PrismaClient {
  return typeof (db as Partial<PrismaClient>).$connect === 'function';
}

/** Producers' mistakes, caught before anything is written: a bad event is a bug, not input. */
function checkEvent(event: LoopEvent): void {
  const problems: string[] = [];
  if (!isLoopEventKind(event.kind)) problems.push(`kind ${JSON.stringify(event.kind)} is not a loop event kind`);
  if (event.subjectUscc.trim() === '') problems.push('subjectUscc is empty');
  if (event.dedupeKey.trim() === '') problems.push('dedupeKey is empty');
  if (Number.isNaN(event.occurredAt.getTime())) problems.push('occurredAt is not a valid date');
  if (problems.length > 0) throw new Error(`Cannot publish loop event ${event.dedupeKey}: ${problems.join('; ')}.`);
}
