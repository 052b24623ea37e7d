import type { Authority, Jurisdiction, PowerItem } from '../../domain/types.ts';

export interface ReferenceSource {
  jurisdictions(): Promise<Jurisdiction[]>;
  authorities(): Promise<Authority[]>;
  powerItems(): Promise<PowerItem[]>;
}

export interface ReferenceData {
  jurisdictions: Map<string, Jurisdiction>;
  authorities: Map<string, Authority>;
  powerItems: Map<string, PowerItem>;
}

/**
 * Authorities, divisions and the power list change a few times a year, so one copy per gateway
 * is kept for `ttlMs` instead of being fetched by every request. A failed refresh is not cached:
 * the next caller tries again.
 */
export class ReferenceCache {
  private current: { data: Promise<ReferenceData>; expiresAt: number } | null = null;
  private lastLoaded: ReferenceData | null = null;

  constructor(
    private readonly source: ReferenceSource,
    private readonly ttlMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<ReferenceData> {
    if (this.current && this.current.expiresAt > this.now()) return this.current.data;
    const data = this.load();
    const entry = { data, expiresAt: this.now() + this.ttlMs };
    this.current = entry;
    data.catch(() => {
      if (this.current === entry) this.current = null;
    });
    return data;
  }

  /**
   * The last copy loaded, refreshed in the background once expired: for what every request
   * needs (the area the gateway serves), which must not wait for an agency nor fail with it.
   * Only the very first load is waited for.
   */
  latest(): Promise<ReferenceData> {
    const fresh = this.get();
    return this.lastLoaded ? Promise.resolve(this.lastLoaded) : fresh;
  }

  private async load(): Promise<ReferenceData> {
    const [jurisdictions, authorities, powerItems] = await Promise.all([
      this.source.jurisdictions(),
      this.source.authorities(),
      this.source.powerItems(),
    ]);
    this.lastLoaded = {
      jurisdictions: new Map(jurisdictions.map((j) => [j.code, j])),
      authorities: new Map(authorities.map((a) => [a.code, a])),
      powerItems: new Map(powerItems.map((p) => [p.code, p])),
    };
    return this.lastLoaded;
  }
}
