/**
 * `2026-11-22T03:00:00Z`: a NumericDate as an ISO instant without milliseconds, for messages; one
 * beyond what a Date holds (a token claiming `exp: 1e20`) as the number it is.
 */
export function instant(numericDate: unknown): string {
  if (typeof numericDate !== 'number' || !Number.isFinite(numericDate)) return 'an unreadable time';
  const date = new Date(Math.floor(numericDate) * 1000);
  if (Number.isNaN(date.getTime())) return `the NumericDate ${numericDate}`;
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
