/**
 * Each agency wraps its answers in its own envelope. An `Envelope` opens one: it returns the
 * payload, or the upstream's error message when the envelope reports a failure.
 */
export type EnvelopeResult = { ok: true; data: unknown } | { ok: false; message: string };

export type Envelope = (body: unknown) => EnvelopeResult;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
