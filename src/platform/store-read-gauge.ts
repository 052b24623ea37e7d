import { Gauge, type Registry } from 'prom-client';

type Labels<Name extends string> = Partial<Record<Name, string>>;

export interface StoreReadGaugeOptions<Name extends string> {
  name: string;
  help: string;
  labelNames: readonly Name[];
  registry: Registry;
  /** Reads the store and sets each series; called on every scrape. */
  read: (set: (labels: Labels<Name>, value: number) => void) => Promise<void>;
}

/**
 * A gauge read from the store when /metrics is scraped (a backlog shared by every instance, a
 * feed's age). When the read fails — the store is down, which is when an operator reads the
 * metrics — its series are left out of that scrape: absent, which an alert can tell from zero,
 * rather than the last value read, which would say a backlog stood still while nobody could see
 * it. The read never fails the scrape: prom-client gathers every metric at once, so one rejected
 * read would answer the whole /metrics 500 and hide everything else the process knows of itself.
 */
export function storeReadGauge<Name extends string>(options: StoreReadGaugeOptions<Name>): Gauge<Name> {
  const { read } = options;
  return new Gauge<Name>({
    name: options.name,
    help: options.help,
    labelNames: options.labelNames,
    registers: [options.registry],
    async collect() {
      const values: Array<[Labels<Name>, number]> = [];
      const succeeded = await read((labels, value) => void values.push([labels, value])).then(
        () => true,
        () => false,
      );
      this.reset();
      if (succeeded) for (const [labels, value] of values) this.set(labels, value);
    },
  });
}
