import type { Jurisdiction } from '../../domain/types.ts';
import { ServedArea } from './served-area.ts';

/**
 * Where the gateway serves, as every judgement of owner standing asks it: each request, each
 * webhook's receivers, each credit-check flip. Null while it cannot be known — no
 * SERVED_JURISDICTION and the reference data never loaded (the enforcement system down since
 * start) — and then nobody reads as an owner: refused, never leaked.
 */
export type ServedAreaSource = () => Promise<ServedArea | null>;

/**
 * The divisions configured (SERVED_JURISDICTION), which depend on no agency; else the townships of
 * the last reference data loaded, which `latestReference` answers without waiting for a refresh,
 * so the area comes back by itself with the first load that succeeds.
 */
export function servedAreaSource(
  configured: readonly string[] | undefined,
  latestReference: () => Promise<{ jurisdictions: ReadonlyMap<string, Jurisdiction> }>,
): ServedAreaSource {
  if (configured) {
    const area = Promise.resolve(new ServedArea(configured));
    return () => area;
  }
  // One area per copy of the reference data: a request asks it, and a copy lasts minutes.
  const areas = new WeakMap<object, ServedArea>();
  return () =>
    latestReference().then(
      (data) => {
        let area = areas.get(data);
        if (!area) areas.set(data, (area = ServedArea.of(data.jurisdictions.values())));
        return area;
      },
      () => null,
    );
}
