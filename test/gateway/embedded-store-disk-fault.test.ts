import { unlinkSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/modules/audit/access-log-verify.ts';
import { openStore } from '../../src/platform/store/open-store.ts';
import { startSimulators } from '../../simulators/index.ts';
import {
  type AnswerCodes,
  answerCodes,
  demoToken,
  type FaultyGateway,
  SERVED,
  startFaultyGateway,
} from '../support/gateway-process.ts';

type Simulators = Awaited<ReturnType<typeof startSimulators>>;

/** How long one request may take while the disk refuses writes: an answer, not a hang. */
const ANSWER_BOUND_MS = 10_000;
/** How soon after the disk takes writes again the gateway answers again, without a restart. */
const RECOVERY_BOUND_MS = 20_000;

const QUERY = '{ subjects(first: 1) { nodes { uscc } } }';

/**
 * The gateway as `npm start` runs it, on the embedded store, in its own process: a PGlite that
 * blocks its process blocks only the gateway, and the test sees it as requests that never end.
 */
describe('the embedded store (PGlite) when its disk stops taking writes', () => {
  let sims: Simulators;
  let gateway: FaultyGateway;

  beforeAll(async () => {
    sims = await startSimulators({ scale: 1, seed: 42 });
    gateway = await startFaultyGateway(sims.urls, {
      preload: 'pglite-wal-fault.mjs',
      triggerVariable: 'PGLITE_WAL_FAULT_FILE',
    });
  }, 120_000);

  afterAll(async () => {
    await gateway?.close();
    await sims?.close();
  });

  const token = () => demoToken(gateway.origin, 'county-analyst', ANSWER_BOUND_MS);
  const ask = (bearer: string) => answerCodes(gateway.origin, bearer, QUERY, ANSWER_BOUND_MS);

  it(
    'refuses 503 with Retry-After, never a 500 or a hang, stays stoppable, and serves again by itself once the disk takes writes',
    { timeout: 120_000 },
    async () => {
      const bearer = await token();
      let answered = 0;
      expect(await ask(bearer)).toEqual(SERVED);
      answered += 1;

      writeFileSync(gateway.triggerFile, '');
      // Each request needs its access-log entry written, so each meets the disk.
      for (let i = 0; i < 4; i++) {
        expect(await ask(bearer), gateway.output().slice(-2000)).toMatchObject({
          status: 503,
          retryAfter: expect.stringMatching(/^\d+$/),
          codes: ['STORE_UNAVAILABLE'],
        });
      }
      const health = await fetch(`${gateway.origin}/healthz`, { signal: AbortSignal.timeout(ANSWER_BOUND_MS) });
      expect(health.status).toBe(200);
      const readiness = await fetch(`${gateway.origin}/readyz`, { signal: AbortSignal.timeout(ANSWER_BOUND_MS) });
      expect(readiness.status).toBe(503);

      unlinkSync(gateway.triggerFile);
      const recovered = performance.now();
      let last: AnswerCodes | undefined;
      while (performance.now() - recovered < RECOVERY_BOUND_MS) {
        last = await ask(bearer);
        if (last.status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(last).toEqual(SERVED);
      answered += 1;
      for (let i = 0; i < 3; i++) {
        expect(await ask(bearer)).toEqual(SERVED);
        answered += 1;
      }

      gateway.child.kill('SIGTERM');
      const [code] = await gateway.exited;
      expect(code, gateway.output().slice(-2000)).toBe(0);

      // Every answer given is in the log, and the chain holds across the fault.
      const store = await openStore({ dataDir: gateway.storeDir });
      try {
        expect(await verifyChain(store.prisma)).toMatchObject({ ok: true, entries: answered });
      } finally {
        await store.close();
      }
    },
  );
});
