import { formatChinaInstant } from '../../domain/china-time.ts';
import { UnmappableFieldError } from './unmappable-field.ts';

/**
 * The agencies' many ways of writing times, turned into the domain's two: instants as ISO-8601
 * with +08:00, civil dates as YYYY-MM-DD in China Standard Time (which has no daylight saving).
 */

/** Epoch milliseconds → `2023-05-12T09:30:00+08:00` (milliseconds kept only when not zero). */
export function instantFromEpochMs(field: string, epochMs: unknown): string {
  if (typeof epochMs !== 'number' || !Number.isFinite(epochMs)) throw new UnmappableFieldError(field, epochMs);
  return formatChinaInstant(epochMs);
}

/** Any ISO-8601 instant with an offset → the same instant written with +08:00. */
export function instantFromIso(field: string, iso: unknown): string {
  if (typeof iso !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(iso)) {
    throw new UnmappableFieldError(field, iso);
  }
  const epochMs = Date.parse(iso);
  if (Number.isNaN(epochMs)) throw new UnmappableFieldError(field, iso);
  return instantFromEpochMs(field, epochMs);
}

/** An ISO instant (the approval platform writes dates as midnight instants) → its China date. */
export function dateFromIso(field: string, iso: unknown): string {
  return instantFromIso(field, iso).slice(0, 10);
}

/** Epoch milliseconds → the China date they fall on. */
export function dateFromEpochMs(field: string, epochMs: unknown): string {
  return instantFromEpochMs(field, epochMs).slice(0, 10);
}

/** `20230512` → `2023-05-12`. */
export function dateFromCompact(field: string, compact: unknown): string {
  const match = typeof compact === 'string' ? /^(\d{4})(\d{2})(\d{2})$/.exec(compact) : null;
  if (!match) throw new UnmappableFieldError(field, compact);
  return checkedDate(field, compact, `${match[1]}-${match[2]}-${match[3]}`);
}

/** `20230512103000` (China time) → `2023-05-12T10:30:00+08:00`. */
export function instantFromCompact(field: string, compact: unknown): string {
  const match = typeof compact === 'string' ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(compact) : null;
  if (!match) throw new UnmappableFieldError(field, compact);
  const [, year, month, day, hour, minute, second] = match;
  return checkedInstant(field, compact, `${year}-${month}-${day}T${hour}:${minute}:${second}+08:00`);
}

/** `2024/01/15` → `2024-01-15`. */
export function dateFromSlashed(field: string, slashed: unknown): string {
  const match = typeof slashed === 'string' ? /^(\d{4})\/(\d{2})\/(\d{2})$/.exec(slashed) : null;
  if (!match) throw new UnmappableFieldError(field, slashed);
  return checkedDate(field, slashed, `${match[1]}-${match[2]}-${match[3]}`);
}

/** `2024/01/15 10:00:00` (China time) → `2024-01-15T10:00:00+08:00`. */
export function instantFromSlashed(field: string, slashed: unknown): string {
  const match =
    typeof slashed === 'string' ? /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(slashed) : null;
  if (!match) throw new UnmappableFieldError(field, slashed);
  const [, year, month, day, hour, minute, second] = match;
  return checkedInstant(field, slashed, `${year}-${month}-${day}T${hour}:${minute}:${second}+08:00`);
}

/** Rejects dates that only look right, such as 2023-02-30. */
function checkedDate(field: string, raw: unknown, date: string): string {
  checkedInstant(field, raw, `${date}T00:00:00+08:00`);
  return date;
}

function checkedInstant(field: string, raw: unknown, instant: string): string {
  const epochMs = Date.parse(instant);
  if (Number.isNaN(epochMs) || instantFromEpochMs(field, epochMs) !== instant) {
    throw new UnmappableFieldError(field, raw);
  }
  return instant;
}
