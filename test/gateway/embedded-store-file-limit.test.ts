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

/** How long one request may take while no file can be opened: an answer, not a hang. */
const ANSWER_BOUND_MS = 10_000;
/** How long a line the gateway logged may take to reach the test through its pipe. */
const LOG_LINE_BOUND_MS = 5_000;
/** How soon after files can be opened again the gateway answers again, without a restart. */
const RECOVERY_BOUND_MS = 30_000;
/**
 * Requests asked, at most, before one needs a file the store has not opened yet: the access log's
 * heap fills its first page well within this, and the next entry makes PostgreSQL create the
 * table's free space map (its `_fsm` fork), a new file.
 */
const REQUESTS_UNTIL_A_NEW_FILE = 400;

const QUERY = '{ subjects(first: 1) { nodes { uscc } } }';

/**
 * The gateway as `npm start` runs it, on the embedded store, in its own process, with every file
 * it opens refused for a while as a process out of file descriptors is (EMFILE): a flood of
 * connections did it once, and PGlite's first instance was left unable to create a file it had
 * failed to create during the flood ("File exists") until the gateway was restarted.
 */
describe('the embedded store (PGlite) when the process runs out of file descriptors', () => {
  let sims: Simulators;
  let gateway: FaultyGateway;

  beforeAll(async () => {
    sims = await startSimulators({ scale: 1, seed: 42 });
    gateway = await startFaultyGateway(sims.urls, {
      preload: 'pglite-emfile-fault.mjs',
      triggerVariable: 'PGLITE_EMFILE_FAULT_FILE',
    });
  }, 120_000);

  afterAll(async () => {
    await gateway?.close();
    await sims?.close();
  });

  const token = () => demoToken(gateway.origin, 'county-analyst', ANSWER_BOUND_MS);
  const ask = (bearer: string) => answerCodes(gateway.origin, bearer, QUERY, ANSWER_BOUND_MS);

  it(
    'refuses 503 with Retry-After while no file can be opened, never a 500, and serves again by itself once files can be, every answer given in the log',
    { timeout: 180_000 },
    async () => {
      const bearer = await token();
      let answered = 0;
      expect(await ask(bearer)).toEqual(SERVED);
      answered += 1;

      writeFileSync(gateway.triggerFile, '');
      // Files already open keep working: requests are served until one needs a new file.
      let refused: AnswerCodes | undefined;
      for (let i = 0; i < REQUESTS_UNTIL_A_NEW_FILE && !refused; i++) {
        const answer = await ask(bearer);
        if (answer.status === 200) answered += 1;
        else refused = answer;
      }
      const unavailable = {
        status: 503,
        retryAfter: expect.stringMatching(/^\d+$/),
        codes: [expect.stringMatching(/^(STORE_UNAVAILABLE|ACCESS_LOG_UNAVAILABLE)$/)],
      };
      expect(refused, gateway.output().slice(-3000)).toMatchObject(unavailable);
      expect(
        await gateway.outputOnceItShows('could not create file', LOG_LINE_BOUND_MS),
        'the fault reached a file PGlite had to create',
      ).toContain('could not create file');
      for (let i = 0; i < 3; i++) expect(await ask(bearer), gateway.output().slice(-3000)).toMatchObject(unavailable);

      unlinkSync(gateway.triggerFile);
      const recovered = performance.now();
      let last: AnswerCodes | undefined;
      while (performance.now() - recovered < RECOVERY_BOUND_MS) {
        last = await ask(bearer);
        if (last.status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(last, gateway.output().slice(-3000)).toEqual(SERVED);
      answered += 1;
      for (let i = 0; i < 3; i++) {
        expect(await ask(bearer)).toEqual(SERVED);
        answered += 1;
      }

      gateway.child.kill('SIGTERM');
      const [code] = await gateway.exited;
      expect(code, gateway.output().slice(-3000)).toBe(0);

      // Every answer given is in the log, and the chain holds across the reopening.
      const store = await openStore({ dataDir: gateway.storeDir });
      try {
        expect(await verifyChain(store.prisma)).toMatchObject({ ok: true, entries: answered });
      } finally {
        await store.close();
      }
    },
  );
});
