/**
 * A sharing period that has already ended when it is asked for grants nothing: refused as a
 * mistake (a year typed wrong, a copied request) rather than stored as an agreement that never
 * applied. `validUntil` is an ISO-8601 instant; text that is not one is left to the other checks.
 */
export function endedPeriodProblem(validUntil: string, now: Date): string | null {
  const until = Date.parse(validUntil);
  if (Number.isNaN(until) || until > now.getTime()) return null;
  return `validUntil: ${validUntil} has already passed; a period that has ended grants nothing`;
}
