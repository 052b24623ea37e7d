import { z } from 'zod';
import { DIVISION_CODE } from './served-area.ts';

/**
 * SERVED_JURISDICTION: the divisions the gateway serves, comma-separated (`330381`, or townships
 * `330381001,330381002`). Set, owner standing no longer waits for the enforcement system's
 * reference data; a code that is no division stops the start rather than serving nobody.
 */
export const servedJurisdictionSetting = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((code) => code.trim())
      .filter(Boolean),
  )
  .superRefine((codes, context) => {
    if (codes.length === 0) {
      context.addIssue({ code: 'custom', message: 'names no division: set division codes or leave it unset' });
    }
    const bad = codes.filter((code) => !DIVISION_CODE.test(code));
    if (bad.length > 0) {
      context.addIssue({
        code: 'custom',
        message: `${bad.map((code) => `"${code}"`).join(', ')} ${bad.length === 1 ? 'is not a division code' : 'are not division codes'}: each must be 6 digits (a county, city or province: 330381) or 9 (a township: 330381001)`,
      });
    }
  });
