import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TestGateway } from '../support/gateway.ts';
import {
  startGatewayOnProxiedDatabase,
  type GatewayOnProxiedDatabase,
} from '../support/gateway-on-proxied-database.ts';
import { TEST_DATABASE_URL } from '../support/stores.ts';
import type { TcpProxy } from '../support/tcp-proxy.ts';

/** Gauges read from the store when scraped: while it is down their value is unknown, not the last one. */
const STORE_READ_SERIES = [
  'gateway_webhook_deliveries{status="pending"}',
  'gateway_transfer_deliveries{status="pending"}',
  'gateway_loop_index_feed_age_seconds{feed="approval.permits"}',
];

describe.runIf(TEST_DATABASE_URL !== undefined)('/metrics while the store is down', () => {
  let setup: GatewayOnProxiedDatabase | undefined;
  let gw: TestGateway;
  let proxy: TcpProxy;

  beforeAll(async () => {
    setup = await startGatewayOnProxiedDatabase({
      // The loop index syncs once at start, so its feeds have an age to show.
      env: { LOOP_INDEX_SYNC_INTERVAL_MS: '3600000' },
    });
    ({ gw, proxy } = setup);
  }, 180_000);
  afterAll(() => setup?.close());

  const scrape = async () => {
    const response = await fetch(`${gw.url}/metrics`);
    return { status: response.status, text: await response.text() };
  };
  const has = (text: string, series: string) => text.split('\n').some((line) => line.startsWith(`${series} `));

  it('still answers, leaves out what it cannot read instead of repeating the last value, and reads it again once the store is back', async () => {
    await vi.waitFor(
      async () => {
        const { status, text } = await scrape();
        expect(status).toBe(200);
        for (const series of STORE_READ_SERIES) expect(has(text, series), series).toBe(true);
      },
      { timeout: 30_000, interval: 250 },
    );

    await proxy.refuse();
    // A request finds the outage (the store's health learns it from the statements callers wait on).
    await gw.post(
      'query ($u: USCC!) { subject(uscc: $u) { name } }',
      { u: gw.world.enterprises[0]!.uscc },
      await gw.as('county-analyst'),
    );
    const during = await scrape();
    expect(during.status).toBe(200);
    // What the process knows of itself is still there.
    expect(during.text).toContain('gateway_graphql_operations_total{');
    for (const series of STORE_READ_SERIES) expect(has(during.text, series), series).toBe(false);

    await proxy.allow();
    await vi.waitFor(
      async () => {
        const { status, text } = await scrape();
        expect(status).toBe(200);
        for (const series of STORE_READ_SERIES) expect(has(text, series), series).toBe(true);
      },
      { timeout: 15_000, interval: 250 },
    );
  }, 120_000);
});
