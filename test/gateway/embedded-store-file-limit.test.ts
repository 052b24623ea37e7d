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

/** How long one request may take while no file can be opened: an answer, not a hang. */
const ANSWER_BOUND_MS = 10_000;
/** How soon after files can be opened again the gateway answers again, without a restart. */
const RECOVERY_BOUND_MS = 30_000;
/**
 * Requests asked, at most, before one needs a file the store has not opened yet: the access log's
 * heap fills its first page well within this, and the next entry makes PostgreSQL create the
 * table's free space map (its `_fsm` fork), a new file.
 */
const REQUESTS_UNTIL_A_NEW_FILE = 400;

const FAULT = pathToFileURL(join(import.meta.dirname, '..', 'support', 'pglite-emfile-fault.mjs')).href;
const QUERY = '{ subjects(first: 1) { nodes { uscc } } }';

interface Answer {
  status: number;
  retryAfter: string | null;
  codes: unknown[];
}

const SERVED: Answer = { status: 200, retryAfter: null, codes: [] };

/**
 * The gateway as `npm start` runs it, on the embedded store, in its own process, with every file
 * it opens refused for a while as a process out of file descriptors is (EMFILE): a flood of
 * connections did it once, and PGlite's first instance was left unable to create a file it had
 * failed to create during the flood ("File exists") until the gateway was restarted.
 */
describe('the embedded store (PGlite) when the process runs out of file descriptors', () => {
  let sims: Simulators;
  let dataDir: string;
  let faultFile: string;
  let child: ChildProcess;
  let exited: Promise<[number | null, NodeJS.Signals | null]>;
  let origin: string;
  let output = '';

  beforeAll(async () => {
    sims = await startSimulators({ scale: 1, seed: 42 });
    dataDir = await mkdtemp(join(tmpdir(), 'gw-pglite-emfile-'));
    faultFile = join(dataDir, 'no-file-descriptors');
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
      PGLITE_EMFILE_FAULT_FILE: faultFile,
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
    'refuses 503 with Retry-After while no file can be opened, never a 500, and serves again by itself once files can be, every answer given in the log',
    { timeout: 180_000 },
    async () => {
      const bearer = await token();
      let answered = 0;
      expect(await ask(bearer)).toEqual(SERVED);
      answered += 1;

      writeFileSync(faultFile, '');
      // Files already open keep working: requests are served until one needs a new file.
      let refused: Answer | undefined;
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
      expect(refused, output.slice(-3000)).toMatchObject(unavailable);
      expect(output, 'the fault reached a file PGlite had to create').toContain('could not create file');
      for (let i = 0; i < 3; i++) expect(await ask(bearer), output.slice(-3000)).toMatchObject(unavailable);

      unlinkSync(faultFile);
      const recovered = performance.now();
      let last: Answer | undefined;
      while (performance.now() - recovered < RECOVERY_BOUND_MS) {
        last = await ask(bearer);
        if (last.status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(last, output.slice(-3000)).toEqual(SERVED);
      answered += 1;
      for (let i = 0; i < 3; i++) {
        expect(await ask(bearer)).toEqual(SERVED);
        answered += 1;
      }

      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code, output.slice(-3000)).toBe(0);

      // Every answer given is in the log, and the chain holds across the reopening.
      const store = await openStore({ dataDir: join(dataDir, 'data', 'pglite') });
      try {
        expect(await verifyChain(store.prisma)).toMatchObject({ ok: true, entries: answered });
      } finally {
        await store.close();
      }
    },
  );
});
