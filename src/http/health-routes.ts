import { Router } from 'express';
import { onlyMethods } from './unmatched-requests.ts';
import type { Registry } from 'prom-client';
import { runReadinessChecks } from './readiness-checks.ts';
import type { ReadinessCheck } from './readiness-checks.ts';

export type { CheckResult, ReadinessCheck } from './readiness-checks.ts';

export interface HealthRouterOptions {
  /** Dependencies that must answer before this instance takes traffic (the gateway's own store). */
  checks: Record<string, ReadinessCheck>;
  /**
   * Dependencies that are checked and reported but do not make the instance unready: the agency
   * systems. Every instance shares them, so failing readiness on one would take all instances out
   * of the load balancer at once, when the gateway can still answer from the other agencies.
   */
  degradingChecks?: Record<string, ReadinessCheck>;
  /** Per-check limit, so one hung dependency cannot hang the orchestrator's probe. */
  timeoutMs?: number;
  /** True once the instance is shutting down: readiness fails at once, so load balancers stop sending before it closes. */
  stopping?: () => boolean;
}

/**
 * /healthz is liveness: it touches no dependency, so a database outage makes the instance
 * unready (taken out of the load balancer) rather than dead (restarted in a loop).
 * /readyz is readiness: every check in parallel; 503 `not_ready` when a required one fails,
 * 200 `degraded` naming the failures when only degrading ones do; 503 `stopping`, without
 * checking anything, once shutdown has begun.
 */
export function createHealthRouter({
  checks,
  degradingChecks = {},
  timeoutMs = 2000,
  stopping = () => false,
}: HealthRouterOptions): Router {
  const router = Router();

  router
    .route('/healthz')
    .get((_req, res) => {
      res.set('Cache-Control', 'no-store').json({ status: 'ok' });
    })
    .all(onlyMethods('GET'));

  router
    .route('/readyz')
    .get(async (_req, res) => {
      if (stopping()) {
        res.status(503).set('Cache-Control', 'no-store').json({ status: 'stopping', checks: {} });
        return;
      }
      const [required, degrading] = await Promise.all([
        runReadinessChecks(checks, timeoutMs),
        runReadinessChecks(degradingChecks, timeoutMs),
      ]);
      const ready = Object.values(required).every((result) => result.ok);
      const complete = Object.values(degrading).every((result) => result.ok);
      const status = !ready ? 'not_ready' : complete ? 'ready' : 'degraded';
      res
        .status(ready ? 200 : 503)
        .set('Cache-Control', 'no-store')
        .json({ status, checks: { ...required, ...degrading } });
    })
    .all(onlyMethods('GET'));

  return router;
}

/** Prometheus scrape endpoint for the gateway's own registry (never prom-client's global one). */
export function createMetricsRouter(registry: Registry): Router {
  const router = Router();
  router
    .route('/metrics')
    .get(async (_req, res) => {
      res.set('Cache-Control', 'no-store');
      // Gauges read from the store leave themselves out when it is down (store-read-gauge.ts); any
      // other failure to gather is this endpoint's dependency failing, so 503, never a 500.
      const body = await registry.metrics().catch(() => undefined);
      if (body === undefined)
        res.status(503).set('Retry-After', '5').type('text/plain').send('metrics could not be gathered\n');
      else res.type(registry.contentType).send(body);
    })
    .all(onlyMethods('GET'));
  return router;
}
