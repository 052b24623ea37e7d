import { Router } from 'express';
import type { Registry } from 'prom-client';
import { runReadinessChecks } from './readiness-checks.ts';
import type { ReadinessCheck } from './readiness-checks.ts';

export type { CheckResult, ReadinessCheck } from './readiness-checks.ts';

export interface HealthRouterOptions {
  /** Dependencies that must answer before this instance takes traffic (database, agency systems). */
  checks: Record<string, ReadinessCheck>;
  /** Per-check limit, so one hung dependency cannot hang the orchestrator's probe. */
  timeoutMs?: number;
}

/**
 * /healthz is liveness: it touches no dependency, so a database outage makes the instance
 * unready (taken out of the load balancer) rather than dead (restarted in a loop).
 * /readyz is readiness: every check, in parallel.
 */
export function createHealthRouter({ checks, timeoutMs = 2000 }: HealthRouterOptions): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const results = await runReadinessChecks(checks, timeoutMs);
    const ready = Object.values(results).every((result) => result.ok);
    res
      .status(ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: ready ? 'ready' : 'not_ready', checks: results });
  });

  return router;
}

/** Prometheus scrape endpoint for the gateway's own registry (never prom-client's global one). */
export function createMetricsRouter(registry: Registry): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    const body = await registry.metrics();
    res.set('Cache-Control', 'no-store').type(registry.contentType).send(body);
  });
  return router;
}
