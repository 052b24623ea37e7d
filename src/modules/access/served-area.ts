import type { Jurisdiction } from '../../domain/types.ts';
import { jurisdictionPrefix } from './jurisdiction.ts';

/** A county-level (6 digits) or township (9 digits) division code: what a served area is made of. */
export const DIVISION_CODE = /^\d{6}(\d{3})?$/;

/**
 * The area this gateway serves: the divisions SERVED_JURISDICTION names, else the townships its
 * reference data lists (瑞安's twenty in the simulated world). Owner standing is decided against
 * it: an authority of a kind that runs a system reads that system's conditional and personal
 * fields as their owner only when its jurisdiction reaches the served area — covers some of it
 * (the county, 温州, 浙江) or lies within it (one of its townships). An approval bureau of another
 * county is a consumer here like any other.
 */
export class ServedArea {
  readonly #divisions: ReadonlyArray<{ code: string; prefix: string }>;

  constructor(divisionCodes: Iterable<string>) {
    this.#divisions = [...divisionCodes].map((code) => ({ code, prefix: jurisdictionPrefix(code) }));
  }

  /** The townships among the reference data's divisions. */
  static of(jurisdictions: Iterable<Jurisdiction>): ServedArea {
    return new ServedArea([...jurisdictions].filter((j) => j.level === 'TOWNSHIP').map((j) => j.code));
  }

  /** Whether a division covers some of the served divisions or lies within one of them. */
  reaches(jurisdictionCode: string): boolean {
    // A county-level or township division code; anything else reaches nothing (an empty prefix would reach all).
    if (!DIVISION_CODE.test(jurisdictionCode)) return false;
    const prefix = jurisdictionPrefix(jurisdictionCode);
    return this.#divisions.some(
      (served) => served.code.startsWith(prefix) || jurisdictionCode.startsWith(served.prefix),
    );
  }

  /**
   * Whether a division covers every served division's county (the county or above): such a
   * caller's owner standing holds on every row, where a township team's holds only on its
   * township's. Counties, not the divisions themselves: the agencies' systems are the county's,
   * so a township named in SERVED_JURISDICTION still shares its system's rows with the county's
   * other townships, and its team must not read those as their owner.
   */
  covers(jurisdictionCode: string): boolean {
    if (!DIVISION_CODE.test(jurisdictionCode) || this.#divisions.length === 0) return false;
    const prefix = jurisdictionPrefix(jurisdictionCode);
    return this.#divisions.every((served) => served.code.slice(0, 6).startsWith(prefix));
  }
}
