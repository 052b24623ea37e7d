import { UnmappableFieldError } from './unmappable-field.ts';

/** 1 万元 = 10,000 yuan = 1,000,000 fen. */
const WAN_YUAN_DECIMALS = 6;

/**
 * 万元 → fen, exactly. A JSON number such as 0.35 is not exactly 0.35 as a double, so
 * `x * 1_000_000` can be off by one; instead the number's shortest decimal form (which JS
 * guarantees to round-trip) is read digit by digit. More than six decimals would be a
 * fraction of a fen, which no amount can be, so such values are rejected.
 */
export function fenFromWanYuan(field: string, wanYuan: unknown): number {
  if (typeof wanYuan !== 'number' || !Number.isFinite(wanYuan) || wanYuan < 0) {
    throw new UnmappableFieldError(field, wanYuan);
  }
  // String() writes 1e-7 or 1e+21 for very small or large numbers; the exponent is handled below.
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(wanYuan));
  if (!match) throw new UnmappableFieldError(field, wanYuan);
  const [, whole = '', fraction = '', exponent = '0'] = match;
  const decimals = fraction.length - Number(exponent);
  if (decimals > WAN_YUAN_DECIMALS) throw new UnmappableFieldError(field, wanYuan);
  const fen = BigInt(whole + fraction) * 10n ** BigInt(WAN_YUAN_DECIMALS - decimals);
  if (fen > BigInt(Number.MAX_SAFE_INTEGER)) throw new UnmappableFieldError(field, wanYuan);
  return Number(fen);
}

/** Fen as the enforcement system sends them: must already be a whole, non-negative number. */
export function fenFromFen(field: string, fen: unknown): number {
  if (typeof fen !== 'number' || !Number.isSafeInteger(fen) || fen < 0) throw new UnmappableFieldError(field, fen);
  return fen;
}
