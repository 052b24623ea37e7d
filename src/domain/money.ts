import type { Fen } from './types.ts';

/** Formats fen as yuan with two decimals: 500000 → "5000.00". Integer arithmetic only. */
export function fenToYuan(fen: Fen): string {
  return shiftDecimal(fen, 2, 2);
}

/** Formats fen as 万元 with no trailing zeros: 350000 → "0.35", 10000000 → "10". */
export function fenToWanYuan(fen: Fen): string {
  return shiftDecimal(fen, 6, 0);
}

function shiftDecimal(value: Fen, places: number, minDecimals: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an exact amount of fen: ${value}`);
  const digits = Math.abs(value)
    .toString()
    .padStart(places + 1, '0');
  const whole = digits.slice(0, -places);
  let fraction = digits.slice(-places);
  while (fraction.length > minDecimals && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  return `${value < 0 ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** The units agencies write amounts in, as decimal places of a fen: 1 元 = 100 fen, 1 万元 = 1,000,000 fen. */
export const MONEY_UNIT_DECIMALS = { fen: 0, yuan: 2, wanYuan: 6 } as const;

export type MoneyUnit = keyof typeof MONEY_UNIT_DECIMALS;

const DECIMAL = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

/**
 * An amount written in `unit` (decimal text, or a JSON number) → exact fen; null when it is
 * none: not a number, negative, a fraction of a fen, or beyond what an integer holds exactly.
 * A JSON number such as 0.35 is not exactly 0.35 as a double, so `x * 1_000_000` can be off by
 * one; instead its shortest decimal form (which JS guarantees to round-trip) is read digit by
 * digit. String() writes 1e-7 or 1e+21 for very small or large numbers, so an exponent is read too.
 */
export function fenFromAmount(written: unknown, unit: MoneyUnit): Fen | null {
  const text =
    typeof written === 'number' && Number.isFinite(written)
      ? String(written)
      : typeof written === 'string'
        ? written.trim()
        : null;
  const match = text === null ? null : DECIMAL.exec(text);
  if (!match) return null;
  const [, whole = '', fraction = '', exponent = '0'] = match;
  const digits = BigInt(whole + fraction);
  const shift = MONEY_UNIT_DECIMALS[unit] - (fraction.length - Number(exponent));
  if (shift < 0) return null;
  // Past 10^16 any non-zero amount is beyond exact integers; stop before computing a huge power.
  if (shift > 16) return digits === 0n ? 0 : null;
  const fen = digits * 10n ** BigInt(shift);
  return fen > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(fen);
}
