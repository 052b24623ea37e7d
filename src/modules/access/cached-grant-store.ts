import {
  GrantStore,
  type Grant,
  type GrantConsumer,
  type GrantInput,
  type GrantOrigin,
  type RevokeResult,
} from './grant-store.ts';

/** How long a consumer's grants are reused before the store is asked again. */
export const GRANT_CACHE_TTL_MS = 2_000;
/** Consumers remembered at most; the oldest is dropped first. Authorities are few, so this is rarely reached. */
const MAX_CONSUMERS = 1_000;

interface Entry {
  fetchedAt: number;
  /** Not revoked and not ended when fetched, with their validity as epoch milliseconds. */
  grants: Promise<ReadonlyArray<{ grant: Grant; from: number; until: number }>>;
}

/**
 * The grant store with every request's lookup (`activeGrants`) served from memory for a short
 * while, so a request does not cost a store query. Validity periods are still judged by the clock
 * at each request, since the cache holds every unrevoked grant that has not yet ended.
 *
 * Within this process a grant created or revoked here takes effect at once: both clear the
 * cache once the change is committed, which also drops a lookup still in flight from before the
 * change (only the requests already waiting on it see the old answer). A change made by another gateway
 * process on the same database, or in the database directly, is seen here within
 * GRANT_CACHE_TTL_MS.
 */
export class CachedGrantStore extends GrantStore {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(
    ...[db, fieldProblems, options]: [
      ...ConstructorParameters<typeof GrantStore>,
      { ttlMs?: number; now?: () => number }?,
    ]
  ) {
    super(db, fieldProblems);
    this.#ttlMs = options?.ttlMs ?? GRANT_CACHE_TTL_MS;
    this.#now = options?.now ?? Date.now;
  }

  override async activeGrants(consumer: GrantConsumer, at: Date = new Date()): Promise<Grant[]> {
    const key = `${consumer.authorityCode}\u0000${consumer.authorityKind}`;
    const now = this.#now();
    let entry = this.#entries.get(key);
    if (!entry || now - entry.fetchedAt >= this.#ttlMs) {
      entry = this.#fetch(key, consumer, now);
    }
    const instant = at.getTime();
    return (await entry.grants)
      .filter(({ from, until }) => from <= instant && instant < until)
      .map(({ grant }) => grant);
  }

  override async create(input: GrantInput, by: string, origin?: GrantOrigin): Promise<Grant> {
    try {
      return await super.create(input, by, origin);
    } finally {
      this.#invalidate();
    }
  }

  override async revoke(id: string, by: string, reason: string): Promise<RevokeResult> {
    try {
      return await super.revoke(id, by, reason);
    } finally {
      this.#invalidate();
    }
  }

  #fetch(key: string, consumer: GrantConsumer, now: number): Entry {
    const grants = this.unendedGrants(consumer, new Date(now)).then((found) =>
      found.map((grant) => ({ grant, from: Date.parse(grant.validFrom), until: Date.parse(grant.validUntil) })),
    );
    const entry: Entry = { fetchedAt: now, grants };
    // Concurrent requests of one consumer share the lookup in flight.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    if (this.#entries.size > MAX_CONSUMERS) this.#entries.delete(this.#entries.keys().next().value!);
    // A failed lookup is not remembered: the next request asks the store again.
    grants.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    return entry;
  }

  /** Forgets every consumer's grants: for a grant changed through `within(tx)`, once the transaction committed. */
  override invalidate(): void {
    this.#invalidate();
  }

  #invalidate(): void {
    this.#entries.clear();
  }
}
