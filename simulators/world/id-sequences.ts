/** Per-prefix, per-year running numbers, as agencies number their documents. */
export class IdSequences {
  private readonly counters = new Map<string, number>();

  next(prefix: string, year: number): number {
    const key = `${prefix}${year}`;
    const value = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, value);
    return value;
  }
}

export function pad6(value: number): string {
  return String(value).padStart(6, '0');
}
