import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/modules/audit/access-log-verify.ts';
import { openStore } from '../../src/platform/store/open-store.ts';
import { startSimulators } from '../../simulators/index.ts';
import { spawnStart } from '../support/start-script.ts';

type Simulators = Awaited<ReturnType<typeof startSimulators>>;

/** How long one request may take while the disk refuses writes: an answer, not a hang. */
const ANSWER_BOUND_MS = 10_000;
/** How soon after the disk takes writes again the gateway answers again, without a restart. */
const RECOVERY_BOUND_MS = 20_000;

const FAULT = pathToFileURL(join(import.meta.dirname, '..', 'support', 'pglite-wal-fault.mjs')).href;
const QUERY = '{ subjects(first: 1) { nodes { uscc } } }';

interface Answer {
  status: number;
  retryAfter: string | null;
  codes: unknown[];
}

/**
 * The gateway as `npm start` runs it, on the embedded store, in its own process: a PGlite that
 * blocks its process blocks only the gateway, and the test sees it as requests that never end.
 */
describe('the embedded store (PGlite) when its disk stops taking writes', () => {
  let sims: Simulators;
  let dataDir: string;
  let faultFile: string;
  let child: ChildProcess;
  let exited: Promise<[number | null, NodeJS.Signals | null]>;
  let origin: string;
  let output = '';

  beforeAll(async () => {
    sims = await startSimulators({ scale: 1, seed: 42 });
    dataDir = await mkdtemp(join(tmpdir(), 'gw-pglite-disk-'));
    faultFile = join(dataDir, 'disk-read-only');
    child = spawnStart({
      PORT: '0',
      DATA_DIR: join(dataDir, 'data'),
      LOG_LEVEL: 'info',
      REGISTRY_SYNC_INTERVAL_MS: '3600000',
      LOOP_INDEX_SYNC_INTERVAL_MS: '0',
      APPROVAL_URL: sims.urls.approval,
      SUPERVISION_URL: sims.urls.supervision,
      ENFORCEMENT_URL: sims.urls.enforcement,
      CREDIT_URL: sims.urls.credit,
      NODE_OPTIONS: `--import ${FAULT}`,
      PGLITE_WAL_FAULT_FILE: faultFile,
    });
    exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    origin = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /gateway ready: (http:\/\/[^/\s]+)\/graphql/.exec(output);
        if (match) resolve(match[1]!);
      });
      child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
      void exited.then(([code]) => reject(new Error(`gateway exited (${code}) before it was ready:\n${output}`)));
    });
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await sims?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function token(): Promise<string> {
    const response = await fetch(`${origin}/console/demo-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ preset: 'county-analyst' }),
      signal: AbortSignal.timeout(ANSWER_BOUND_MS),
    });
    return ((await response.json()) as { token: string }).token;
  }

  async function ask(bearer: string): Promise<Answer> {
    const response = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ query: QUERY }),
      signal: AbortSignal.timeout(ANSWER_BOUND_MS),
    });
    const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: unknown } }> };
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      codes: (body.errors ?? []).map((error) => error.extensions?.code),
    };
  }

  it(
    'refuses 503 with Retry-After, never a 500 or a hang, stays stoppable, and serves again by itself once the disk takes writes',
    { timeout: 120_000 },
    async () => {
      const bearer = await token();
      let answered = 0;
      expect(await ask(bearer)).toEqual({ status: 200, retryAfter: null, codes: [] });
      answered += 1;

      writeFileSync(faultFile, '');
      // Each request needs its access-log entry written, so each meets the disk.
      for (let i = 0; i < 4; i++) {
        expect(await ask(bearer), output.slice(-2000)).toMatchObject({
          status: 503,
          retryAfter: expect.stringMatching(/^\d+$/),
          codes: ['STORE_UNAVAILABLE'],
        });
      }
      const health = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(ANSWER_BOUND_MS) });
      expect(health.status).toBe(200);
      const readiness = await fetch(`${origin}/readyz`, { signal: AbortSignal.timeout(ANSWER_BOUND_MS) });
      expect(readiness.status).toBe(503);

      unlinkSync(faultFile);
      const recovered = performance.now();
      let last: Answer | undefined;
      while (performance.now() - recovered < RECOVERY_BOUND_MS) {
        last = await ask(bearer);
        if (last.status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(last).toEqual({ status: 200, retryAfter: null, codes: [] });
      answered += 1;
      for (let i = 0; i < 3; i++) {
        expect(await ask(bearer)).toEqual({ status: 200, retryAfter: null, codes: [] });
        answered += 1;
      }

      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code, output.slice(-2000)).toBe(0);

      // Every answer given is in the log, and the chain holds across the fault.
      const store = await openStore({ dataDir: join(dataDir, 'data', 'pglite') });
      try {
        expect(await verifyChain(store.prisma)).toMatchObject({ ok: true, entries: answered });
      } finally {
        await store.close();
      }
    },
  );
});
