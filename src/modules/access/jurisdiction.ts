import type { Principal } from '../../auth/principal.ts';

/**
 * Whether a record located in `townshipCode` lies within the caller's jurisdiction. Codes nest
 * by prefix once their trailing "00" pairs are dropped: 浙江 330000 → 33, 温州 330300 → 3303,
 * 瑞安 330381 → 330381, and a township keeps all nine digits.
 */
export function withinJurisdiction(principal: Pick<Principal, 'jurisdictionCode'>, townshipCode: string): boolean {
  return townshipCode.startsWith(jurisdictionPrefix(principal.jurisdictionCode));
}

/** The code prefix every division inside `code` starts with. */
export function jurisdictionPrefix(code: string): string {
  if (code.length !== 6) return code;
  let prefix = code;
  while (prefix.length > 2 && prefix.endsWith('00')) prefix = prefix.slice(0, -2);
  return prefix;
}
