import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Gauge } from 'prom-client';
import type { Router } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createHealthRouter, createMetricsRouter } from '../../src/http/health-routes.ts';
import type { ReadinessCheck } from '../../src/http/health-routes.ts';
import { createMetrics } from '../../src/platform/metrics.ts';
import { storeReadGauge } from '../../src/platform/store-read-gauge.ts';

const running: Server[] = [];

afterEach(async () => {
  for (const server of running.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function serve(router: Router): Promise<string> {
  const app = express();
  app.use(router);
  const server = app.listen(0, '127.0.0.1');
  running.push(server);
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const passes: ReadinessCheck = async () => {};
const hangs: ReadinessCheck = () => new Promise<void>(() => {});

describe('GET /healthz', () => {
  it('answers 200 ok even when every readiness check fails', async () => {
    const baseUrl = await serve(createHealthRouter({ checks: { database: hangs } }));
    const res = await fetch(`${baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});

describe('GET /readyz', () => {
  it('answers 200 ready with each check timed when all checks pass', async () => {
    const baseUrl = await serve(createHealthRouter({ checks: { database: passes, creditSystem: passes } }));
    const res = await fetch(`${baseUrl}/readyz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({
      status: 'ready',
      checks: {
        database: { ok: true, ms: expect.any(Number) },
        creditSystem: { ok: true, ms: expect.any(Number) },
      },
    });
  });

  it('answers 503 naming the failing check and keeps the others ok', async () => {
    const failing: ReadinessCheck = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    };
    const baseUrl = await serve(createHealthRouter({ checks: { database: failing, creditSystem: passes } }));
    const res = await fetch(`${baseUrl}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'not_ready',
      checks: {
        database: { ok: false, ms: expect.any(Number), error: 'connect ECONNREFUSED 127.0.0.1:5432' },
        creditSystem: { ok: true, ms: expect.any(Number) },
      },
    });
  });

  it('answers 200 degraded naming a failing degrading check, which does not take the instance out', async () => {
    const down: ReadinessCheck = async () => {
      throw new Error('The credit system is unavailable (connection_refused).');
    };
    const baseUrl = await serve(
      createHealthRouter({ checks: { store: passes }, degradingChecks: { credit: down, approval: passes } }),
    );
    const res = await fetch(`${baseUrl}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'degraded',
      checks: {
        store: { ok: true, ms: expect.any(Number) },
        credit: { ok: false, ms: expect.any(Number), error: 'The credit system is unavailable (connection_refused).' },
        approval: { ok: true, ms: expect.any(Number) },
      },
    });
  });

  it('answers 503 when a required check fails, even if every degrading one passes', async () => {
    const baseUrl = await serve(
      createHealthRouter({ checks: { store: hangs }, degradingChecks: { credit: passes }, timeoutMs: 100 }),
    );
    const res = await fetch(`${baseUrl}/readyz`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { status: string }).status).toBe('not_ready');
  });

  it('answers 503 with a timeout for a check that never settles, without waiting for it', async () => {
    const baseUrl = await serve(createHealthRouter({ checks: { enforcementSystem: hangs }, timeoutMs: 100 }));
    const started = Date.now();
    const res = await fetch(`${baseUrl}/readyz`);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { checks: Record<string, { ok: boolean; error?: string }> };
    expect(body.checks.enforcementSystem).toMatchObject({ ok: false, error: 'timed out after 100 ms' });
  });

  it('runs the checks in parallel, so two slow checks take as long as one', async () => {
    const slow: ReadinessCheck = () => new Promise<void>((resolve) => setTimeout(resolve, 300));
    const baseUrl = await serve(createHealthRouter({ checks: { a: slow, b: slow } }));
    const started = Date.now();
    const res = await fetch(`${baseUrl}/readyz`);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(550);
  });

  it('masks credentials and cuts long multi-line errors to one short line', async () => {
    const leaky: ReadinessCheck = async () => {
      throw new Error(`cannot reach postgres://gateway:s3cret@db:5432/main ${'x'.repeat(300)}\n    at stack frame`);
    };
    const throwsSynchronously: ReadinessCheck = () => {
      throw new Error('thrown before any await');
    };
    const baseUrl = await serve(createHealthRouter({ checks: { leaky, throwsSynchronously } }));
    const body = (await (await fetch(`${baseUrl}/readyz`)).json()) as {
      checks: Record<string, { ok: boolean; error: string }>;
    };
    const leakyError = body.checks.leaky?.error ?? '';
    expect(leakyError).not.toContain('s3cret');
    expect(leakyError).toContain('postgres://***@db:5432/main');
    expect(leakyError).not.toContain('stack frame');
    expect(leakyError.length).toBeLessThanOrEqual(120);
    expect(body.checks.throwsSynchronously).toMatchObject({ ok: false, error: 'thrown before any await' });
  });
});

describe('GET /metrics', () => {
  it('serves the registry in Prometheus text format with its content type', async () => {
    const metrics = createMetrics();
    metrics.graphqlOperations.inc({ type: 'query', name: 'SubjectProfile', outcome: 'ok' });
    const baseUrl = await serve(createMetricsRouter(metrics.registry));
    const res = await fetch(`${baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(metrics.registry.contentType);
    const text = await res.text();
    expect(text).toContain('# HELP gateway_graphql_operations_total');
    expect(text).toContain('# TYPE gateway_graphql_operations_total counter');
    expect(text).toContain('gateway_graphql_operations_total{type="query",name="SubjectProfile",outcome="ok"} 1');
  });

  it('leaves out a gauge whose store read fails, and serves every other metric', async () => {
    const metrics = createMetrics();
    metrics.graphqlOperations.inc({ type: 'query', name: 'SubjectProfile', outcome: 'ok' });
    let storeUp = true;
    storeReadGauge({
      name: 'test_backlog',
      help: 'A backlog read from the store.',
      labelNames: ['status'] as const,
      registry: metrics.registry,
      async read(set) {
        if (!storeUp) throw new Error('connection refused');
        set({ status: 'pending' }, 7);
      },
    });
    const baseUrl = await serve(createMetricsRouter(metrics.registry));
    expect(await (await fetch(`${baseUrl}/metrics`)).text()).toContain('test_backlog{status="pending"} 7');

    storeUp = false;
    const res = await fetch(`${baseUrl}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain('test_backlog{');
    expect(text).toContain('gateway_graphql_operations_total{type="query",name="SubjectProfile",outcome="ok"} 1');
  });

  it('answers 503 with Retry-After, not 500, when the metrics cannot be gathered at all', async () => {
    const metrics = createMetrics();
    new Gauge({
      name: 'test_broken',
      help: 'A gauge whose collect fails.',
      registers: [metrics.registry],
      collect() {
        throw new Error('cannot read');
      },
    });
    const res = await fetch(`${await serve(createMetricsRouter(metrics.registry))}/metrics`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.text()).not.toContain('cannot read');
  });
});
