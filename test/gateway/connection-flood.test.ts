import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Client } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators } from '../../simulators/index.ts';
import { exchangeRaw, type RawExchange } from '../support/raw-socket.ts';
import { quietGatewayEnv, type ReadyGateway, readyGateway } from '../support/gateway-process.ts';
import { startScript } from '../support/start-script.ts';

/** The gateway's descriptors: `ulimit -n` as low as on many servers, so a test's flood can exhaust it. */
const FILE_LIMIT = 400;
/** Idle connections the flood opens: half again the whole limit. */
const FLOOD = 600;
/** Every agency's records, and an access-log entry in the store. */
const LIFECYCLE =
  '{ subject(uscc: "91330381MA2G2YEE23") { name permits { permitNo inspections { kind clues { case { caseNo } } } } credit { grade } } }';
/** No agency's: an access-log entry only. */
const CHECK = '{ checkUscc(code: "91330381MA2G2YEE23") { valid } }';
/** Past it the gateway's kept-alive agency sockets are closed (undici's 4 s), so its next calls need new ones. */
const AGENCY_SOCKETS_IDLE_MS = 5_000;

/**
 * The gateway as `npm start` runs it, in a process of its own whose open-file limit is 400, with
 * HTTP_MAX_CONNECTIONS left to its default and the operator's endpoints on MANAGEMENT_PORT. Before the cap, 400 idle connections were enough to
 * take every descriptor: nobody new was answered, not even /healthz, the gateway's own agency
 * calls failed with EMFILE, and the embedded store could stop taking the access log until a restart.
 */
describe(`a flood of ${FLOOD} idle connections against a gateway allowed ${FILE_LIMIT} descriptors`, () => {
  let sims: Awaited<ReturnType<typeof startSimulators>>;
  let dataDir: string;
  let child: ChildProcessByStdio<null, Readable, Readable>;
  let origin: string;
  let gateway: ReadyGateway;
  let management: string;

  beforeAll(async () => {
    sims = await startSimulators({ scale: 1, seed: 42 });
    dataDir = await mkdtemp(join(tmpdir(), 'gw-conn-flood-'));
    const { command, args, env } = startScript();
    child = spawn(
      'bash',
      ['-c', `ulimit -n ${FILE_LIMIT} && exec "$@"`, 'bash', command === 'node' ? process.execPath : command, ...args],
      {
        cwd: join(import.meta.dirname, '..', '..'),
        stdio: ['ignore', 'pipe', 'pipe'],
        // The operator's endpoints on a port of their own, which the callers' flood does not reach.
        env: { ...process.env, ...env, ...quietGatewayEnv(sims.urls, join(dataDir, 'data')), MANAGEMENT_PORT: '0' },
      },
    );
    gateway = await readyGateway(child);
    origin = gateway.origin;
    management = /Operator endpoints \(\/healthz, \/readyz, \/metrics\): (http:\/\/\S+)/.exec(gateway.output())![1]!;
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await sims?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function ask(client: Client, bearer: string, query: string) {
    const response = await client.request({
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ query }),
    });
    const body = (await response.body.json()) as { errors?: unknown[]; data?: unknown };
    return { status: response.statusCode, errors: body.errors ?? [] };
  }

  /** A new client's /healthz, tried again (100 times at most) until `until` holds: the gateway sees connections come and go a moment late. */
  async function healthOfANewcomer(until: (health: RawExchange) => boolean): Promise<RawExchange> {
    for (let attempt = 1; ; attempt += 1) {
      const health = await exchangeRaw(origin, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      if (until(health) || attempt === 100) return health;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it(
    'keeps serving its connected clients, agencies and access log included, refuses the surplus, and serves newcomers once it is gone',
    { timeout: 120_000 },
    async () => {
      const { hostname, port } = new URL(origin);
      const client = new Client(origin, { keepAliveTimeout: 60_000 });
      const flood: Socket[] = [];
      try {
        const tokenResponse = await client.request({
          method: 'POST',
          path: '/console/demo-token',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ preset: 'county-enforcement' }),
        });
        const { token } = (await tokenResponse.body.json()) as { token: string };
        // Asked once a second, so the client's own connection stays within the gateway's 5 s keep-alive.
        for (const waitedUntil = Date.now() + AGENCY_SOCKETS_IDLE_MS; Date.now() < waitedUntil;) {
          expect(await ask(client, token, CHECK)).toEqual({ status: 200, errors: [] });
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }

        // Each connection either completes its handshake or is refused; none sends a byte.
        await Promise.all(
          Array.from(
            { length: FLOOD },
            () =>
              new Promise<void>((resolve) => {
                const socket = connect({ host: hostname, port: Number(port) }, () => resolve());
                socket.on('error', () => resolve());
                socket.on('close', () => resolve());
                flood.push(socket);
              }),
          ),
        );
        // A handshake the kernel completed may still wait for the gateway's accept, behind a newcomer's.
        expect(await healthOfANewcomer((health) => health.status === null)).toMatchObject({ status: null });

        // Every agency is reached, and the access-log entry written, over the connection already open.
        expect(await ask(client, token, LIFECYCLE), gateway.output().slice(-3000)).toEqual({ status: 200, errors: [] });
        const readiness = await client.request({ method: 'GET', path: '/readyz' });
        expect(await readiness.body.text()).toMatch(/^\{"status":"ready"/);

        // The orchestrator's probes, on the operator's port, are answered all through the flood.
        expect(
          await exchangeRaw(management, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
        ).toMatchObject({
          status: 200,
        });
        const metrics = await (await fetch(`${management}/metrics`)).text();
        expect(Number(/^gateway_http_connections_refused_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
      } finally {
        for (const socket of flood) socket.destroy();
        await client.close();
      }

      expect(await healthOfANewcomer((health) => health.status !== null)).toMatchObject({ status: 200 });
      expect(await gateway.outputOnceItShows('connection cap reached', 5_000)).toMatch(/connection cap reached/);
      expect(gateway.output()).not.toMatch(/EMFILE/);
    },
  );
});
