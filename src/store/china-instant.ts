import type { Instant } from '../domain/types.ts';

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** A stored timestamp as the domain writes instants: ISO-8601 with the +08:00 offset. */
export function toChinaInstant(at: Date): Instant {
  return `${new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 23)}+08:00`;
}
