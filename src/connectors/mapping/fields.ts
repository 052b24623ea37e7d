import { readChinaDate, readChinaInstant } from '../../domain/china-time.ts';
import { fenFromAmount } from '../../domain/money.ts';
import type { Fen, Instant, LocalDate } from '../../domain/types.ts';
import { UnmappableFieldError } from './unmappable-field.ts';

/** Field readers that fail the record (not the batch) when the upstream sent the wrong type. */

export function text(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new UnmappableFieldError(field, value);
  return value;
}

export function nullableText(field: string, value: unknown): string | null {
  return value === null || value === undefined ? null : text(field, value);
}

export function flag(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new UnmappableFieldError(field, value);
  return value;
}

export function textList(field: string, value: unknown): string[] {
  if (!Array.isArray(value)) throw new UnmappableFieldError(field, value);
  return value.map((item) => text(field, item));
}

/** Maps a nullable field with `map`, keeping null (and an absent field) as null. */
export function nullable<T>(value: unknown, map: (value: unknown) => T): T | null {
  return value === null || value === undefined ? null : map(value);
}

/** What a domain reader made of the value; UnmappableFieldError naming the field when it made nothing. */
export function readWith<T>(field: string, value: unknown, read: (value: unknown) => T | null): T {
  const result = read(value);
  if (result === null) throw new UnmappableFieldError(field, value);
  return result;
}

// The agencies' many ways of writing times and amounts, read by src/domain (China time, exact
// fen); here only the field is named when a value cannot be read.

/** Epoch milliseconds → `2023-05-12T09:30:00+08:00` (milliseconds kept only when not zero). */
export const instantFromEpochMs = (field: string, value: unknown): Instant =>
  readWith(field, value, (v) => readChinaInstant(v, 'epochMs'));
/** Any ISO-8601 instant with an offset → the same instant written with +08:00. */
export const instantFromIso = (field: string, value: unknown): Instant =>
  readWith(field, value, (v) => readChinaInstant(v, 'ISO'));
/** `20230512103000` (China time) → `2023-05-12T10:30:00+08:00`. */
export const instantFromCompact = (field: string, value: unknown): Instant =>
  readWith(field, value, (v) => readChinaInstant(v, 'YYYYMMDDHHmmss'));
/** `2024/01/15 10:00:00` (China time) → `2024-01-15T10:00:00+08:00`. */
export const instantFromSlashed = (field: string, value: unknown): Instant =>
  readWith(field, value, (v) => readChinaInstant(v, 'YYYY/MM/DD HH:mm:ss'));
/** Epoch milliseconds → the China date they fall on. */
export const dateFromEpochMs = (field: string, value: unknown): LocalDate =>
  readWith(field, value, (v) => readChinaDate(v, 'epochMs'));
/** An ISO instant (the approval platform writes dates as midnight instants) → its China date. */
export const dateFromIso = (field: string, value: unknown): LocalDate =>
  readWith(field, value, (v) => readChinaDate(v, 'ISO'));
/** `20230512` → `2023-05-12`. */
export const dateFromCompact = (field: string, value: unknown): LocalDate =>
  readWith(field, value, (v) => readChinaDate(v, 'YYYYMMDD'));
/** `2024/01/15` → `2024-01-15`. */
export const dateFromSlashed = (field: string, value: unknown): LocalDate =>
  readWith(field, value, (v) => readChinaDate(v, 'YYYY/MM/DD'));

/** Fen as the enforcement system sends them: a JSON number, already whole and non-negative. */
export const fenFromFen = (field: string, value: unknown): Fen =>
  readWith(field, value, (v) => (typeof v === 'number' ? fenFromAmount(v, 'fen') : null));
/** 万元 as a JSON number (the credit platform's `cf_fkje`) → exact fen. */
export const fenFromWanYuan = (field: string, value: unknown): Fen =>
  readWith(field, value, (v) => (typeof v === 'number' ? fenFromAmount(v, 'wanYuan') : null));
