import { fenFromAmount, type MoneyUnit } from '../../domain/money.ts';
import {
  UnmappableFieldError,
  dateFromCompact,
  dateFromEpochMs,
  dateFromIso,
  dateFromSlashed,
  flag,
  instantFromCompact,
  instantFromEpochMs,
  instantFromIso,
  instantFromSlashed,
  readWith,
  text,
  textList,
} from '../mapping/index.ts';

/**
 * The fixed converter library a profile may name. Every converter takes the field's dotted
 * path (for the UPSTREAM_RECORD_DROPPED warning) and the raw value, and throws
 * `UnmappableFieldError` for a value it cannot read, so the record is dropped, never guessed.
 * Adding a converter means adding it here, to the schema's enum and to the tests.
 */
export type Converter = (field: string, value: unknown) => unknown;

/** Decimal text or a JSON number, in `unit`, → exact integer fen (src/domain/money.ts reads it). */
function money(unit: MoneyUnit): Converter {
  return (field, value) => readWith(field, value, (v) => fenFromAmount(v, unit));
}

function integer(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new UnmappableFieldError(field, value);
  return value;
}

/** A yes/no flag written as 1/0 (number or text), as older systems store 是/否; anything else is unmappable. */
function flagFrom01(field: string, value: unknown): boolean {
  if (value === 1 || value === '1') return true;
  if (value === 0 || value === '0') return false;
  throw new UnmappableFieldError(field, value);
}

/** A legacy 15-digit registration number (注册号), kept exactly as recorded. */
function legacyRegNo(field: string, value: unknown): string {
  if (typeof value !== 'string' || !/^\d{15}$/.test(value)) throw new UnmappableFieldError(field, value);
  return value;
}

/** An 18-character USCC as recorded: the shape is required, the check character is not (shown, never corrected). */
function uscc(field: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(value)) {
    throw new UnmappableFieldError(field, value);
  }
  return value;
}

export const CONVERTERS = {
  text,
  integer,
  boolean: flag,
  'boolean:01': flagFrom01,
  textList,
  uscc,
  legacyRegNo,
  'date:YYYYMMDD': dateFromCompact,
  'date:YYYY/MM/DD': dateFromSlashed,
  'date:ISO': dateFromIso,
  'date:epochMs': dateFromEpochMs,
  'instant:ISO': instantFromIso,
  'instant:epochMs': instantFromEpochMs,
  'instant:YYYYMMDDHHmmss': instantFromCompact,
  'instant:YYYY/MM/DD HH:mm:ss': instantFromSlashed,
  'money:fen': money('fen'),
  'money:yuan': money('yuan'),
  'money:wanYuan': money('wanYuan'),
} satisfies Record<string, Converter>;

export type ConverterName = keyof typeof CONVERTERS;

export const CONVERTER_NAMES = Object.keys(CONVERTERS) as ConverterName[];

/** Normalisations applied to text before conversion. */
const FULL_WIDTH_DIGIT = /[０-９]/g;

export const NORMALISERS = {
  trim: (value: string) => value.trim(),
  /** ０-９ (U+FF10…) as typed on Chinese input methods → 0-9. */
  fullWidthDigits: (value: string) =>
    value.replace(FULL_WIDTH_DIGIT, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0)),
} satisfies Record<string, (value: string) => string>;

export type NormaliserName = keyof typeof NORMALISERS;
