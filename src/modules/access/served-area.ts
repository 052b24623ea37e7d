import type { Jurisdiction } from '../../domain/types.ts';
import { jurisdictionPrefix } from './jurisdiction.ts';

/**
 * The area this gateway serves: the townships its reference data lists (瑞安's twenty in the
 * simulated world). Owner standing is decided against it: an authority of a kind that runs a
 * system reads that system's conditional and personal fields as their owner only when its
 * jurisdiction reaches the served area — covers it (the county, 温州, 浙江) or lies within it (one
 * of its townships). An approval bureau of another county is a consumer here like any other.
 */
export class ServedArea {
  readonly #townships: readonly string[];

  constructor(townshipCodes: Iterable<string>) {
    this.#townships = [...townshipCodes];
  }

  /** The townships among the reference data's divisions. */
  static of(jurisdictions: Iterable<Jurisdiction>): ServedArea {
    return new ServedArea([...jurisdictions].filter((j) => j.level === 'TOWNSHIP').map((j) => j.code));
  }

  /** Whether a division covers some of the served townships or lies within one of them. */
  reaches(jurisdictionCode: string): boolean {
    // A county-level or township division code; anything else reaches nothing (an empty prefix would reach all).
    if (!/^\d{6}(\d{3})?$/.test(jurisdictionCode)) return false;
    const prefix = jurisdictionPrefix(jurisdictionCode);
    return this.#townships.some((township) => township.startsWith(prefix));
  }

  /**
   * Whether a division covers every served township (the county or above): such a caller's
   * owner standing holds on every row, where a township team's holds only on its township's.
   */
  covers(jurisdictionCode: string): boolean {
    if (!/^\d{6}(\d{3})?$/.test(jurisdictionCode) || this.#townships.length === 0) return false;
    const prefix = jurisdictionPrefix(jurisdictionCode);
    return this.#townships.every((township) => township.startsWith(prefix));
  }
}
