/**
 * Reads kept while a version stays the same: a read under another version is read afresh, and the
 * least recently used are dropped beyond `capacity`. A read that fails is not kept, so the next
 * caller reads again rather than sharing the failure.
 */
export class VersionedCache<V> {
  readonly #entries = new Map<string, { version: string; value: Promise<V> }>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** What `read` gives for `key` at `version`; concurrent callers of one key and version share one read. */
  get(key: string, version: string, read: () => Promise<V>): Promise<V> {
    const kept = this.#entries.get(key);
    this.#entries.delete(key);
    if (kept?.version === version) {
      this.#entries.set(key, kept);
      return kept.value;
    }
    const entry = { version, value: read() };
    this.#entries.set(key, entry);
    entry.value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#capacity) break;
      this.#entries.delete(oldest);
    }
    return entry.value;
  }
}
