/** The cap keeps a long benchmark from growing the batch-size list without bound. */
const MAX_BATCH_SAMPLES = 1_000_000;

export interface StatsSnapshot {
  requests: Record<string, number>;
  batchKeys: number[];
}

/** Requests received per `METHOD path` and the number of keys in each batch. */
export class SimStats {
  private requests = new Map<string, number>();
  private batchKeys: number[] = [];

  countRequest(method: string, path: string): void {
    const key = `${method} ${path}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  countBatch(keys: number): void {
    if (this.batchKeys.length < MAX_BATCH_SAMPLES) this.batchKeys.push(keys);
  }

  snapshot(): StatsSnapshot {
    return { requests: Object.fromEntries(this.requests), batchKeys: [...this.batchKeys] };
  }

  reset(): void {
    this.requests = new Map();
    this.batchKeys = [];
  }
}
