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
