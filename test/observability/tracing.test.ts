import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnStart, startScript } from '../support/start-script.ts';
import { startSimulators } from '../../simulators/index.ts';
import { signDemoToken } from '../../src/auth/index.ts';
import { AGENCY_SYSTEMS, type AgencySystem } from '../../src/domain/types.ts';
import { openStore } from '../../src/platform/store/open-store.ts';
import { TEST_DATABASE_URL } from '../support/stores.ts';

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Record<string, unknown>;
}

/**
 * An OTLP/HTTP receiver for the JSON encoding (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`): decodes
 * each export the gateway sends to /v1/traces and keeps its spans.
 */
async function startOtlpReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; close(): Promise<void> }> {
  const spans: ReceivedSpan[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: Array<{
          scopeSpans: Array<{
            spans: Array<Omit<ReceivedSpan, 'attributes'> & { attributes?: Array<{ key: string; value: object }> }>;
          }>;
        }>;
      };
      for (const resource of body.resourceSpans)
        for (const scope of resource.scopeSpans)
          for (const span of scope.spans)
            spans.push({
              ...span,
              attributes: Object.fromEntries(
                (span.attributes ?? []).map(({ key, value }) => [key, Object.values(value)[0]]),
              ),
            });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const url = await listen(server);
  return { url, spans, close: () => closeServer(server) };
}

/** A pass-through in front of one simulated agency that notes the headers of every request it forwards. */
async function startRecordingProxy(
  target: string,
): Promise<{ url: string; seen: IncomingHttpHeaders[]; close(): Promise<void> }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      const answer = await fetch(`${target}${req.url}`, {
        method: req.method,
        headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
        body,
      });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  const url = await listen(server);
  return { url, seen, close: () => closeServer(server) };
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

type Simulators = Awaited<ReturnType<typeof startSimulators>>;

const TRACED_QUERY = `query Traced($uscc: USCC!) { subject(uscc: $uscc) { name permits { permitNo inspections { kind } } } }`;

/** A span's descendants, each as `parent name > name` (an upstream call with its agency's path), sorted: the tree's shape without ids or times. */
function subtreeOf(root: ReceivedSpan, spans: readonly ReceivedSpan[]): string[] {
  const byId = new Map(spans.filter((s) => s.traceId === root.traceId).map((s) => [s.spanId, s]));
  const below: string[] = [];
  for (const span of byId.values()) {
    const chain: ReceivedSpan[] = [];
    for (let at = byId.get(span.parentSpanId ?? ''); at; at = byId.get(at.parentSpanId ?? '')) {
      chain.push(at);
      if (at === root) break;
    }
    if (chain.at(-1) !== root) continue;
    const path = span.attributes['url.full'] ? new URL(String(span.attributes['url.full'])).pathname : '';
    below.push(`${chain[0]!.name} > ${span.name}${path ? ` ${path}` : ''}`);
  }
  return below.sort();
}

describe('OpenTelemetry tracing, switched on with the standard OTEL_* variables', () => {
  let sims: Simulators;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let proxies: Record<AgencySystem, Awaited<ReturnType<typeof startRecordingProxy>>>;

  beforeAll(async () => {
    sims = await startSimulators({ scale: 1, seed: 42 });
    receiver = await startOtlpReceiver();
    proxies = Object.fromEntries(
      await Promise.all(AGENCY_SYSTEMS.map(async (s) => [s, await startRecordingProxy(sims.urls[s])] as const)),
    ) as typeof proxies;
  });
  afterAll(async () => {
    await Promise.all(Object.values(proxies ?? {}).map((p) => p.close()));
    await receiver?.close();
    await sims?.close();
  });

  const stores: Array<{ name: string; available: boolean; databaseUrl: () => Promise<string | undefined> }> = [
    { name: 'the embedded PGlite store', available: true, databaseUrl: async () => undefined },
    {
      name: 'PostgreSQL',
      available: TEST_DATABASE_URL !== undefined,
      databaseUrl: async () => {
        const database = `otel_trace_${randomBytes(5).toString('hex')}`;
        const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await admin.connect();
        await admin.query(`CREATE DATABASE "${database}"`);
        await admin.end();
        createdDatabases.push(database);
        const url = new URL(TEST_DATABASE_URL!);
        url.pathname = `/${database}`;
        return url.toString();
      },
    },
  ];
  const createdDatabases: string[] = [];
  afterAll(async () => {
    if (createdDatabases.length === 0) return;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    for (const database of createdDatabases) await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  });

  for (const store of stores) {
    it.runIf(store.available)(
      `on ${store.name}: one query gives spans for the operation, its loader batches, the upstream calls (whose traceparent the agency receives) and the store queries, and its access-log entry names the trace`,
      async () => {
        const dataDir = await mkdtemp(join(tmpdir(), 'otel-trace-'));
        const databaseUrl = await store.databaseUrl();
        for (const proxy of Object.values(proxies)) proxy.seen.length = 0;
        receiver.spans.length = 0;
        // npm start's command run without npm in between, so SIGTERM reaches the gateway itself.
        expect(startScript().command).toBe('node');
        const child = spawnStart({
          PORT: '0',
          DATA_DIR: dataDir,
          ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
          LOG_LEVEL: 'warn',
          LOOP_INDEX_SYNC_INTERVAL_MS: '0',
          REGISTRY_SYNC_INTERVAL_MS: '3600000',
          APPROVAL_URL: proxies.approval.url,
          SUPERVISION_URL: proxies.supervision.url,
          ENFORCEMENT_URL: proxies.enforcement.url,
          CREDIT_URL: proxies.credit.url,
          OTEL_TRACES_EXPORTER: 'otlp',
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
          OTEL_BSP_SCHEDULE_DELAY: '100',
          OTEL_SERVICE_NAME: 'gateway-under-test',
        });
        const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
        let output = '';
        try {
          const origin = await new Promise<string>((resolve, reject) => {
            child.stdout.on('data', (chunk: Buffer) => {
              output += chunk.toString();
              const match = /gateway ready: (http:\/\/[^/\s]+)\/graphql/.exec(output);
              if (match) resolve(match[1]!);
            });
            child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
            void exited.then(([code]) => reject(new Error(`gateway exited (${code}) before it was ready:\n${output}`)));
          });
          const permit = sims.world.permits.find((p) => sims.world.inspections.some((i) => i.permitNo === p.permitNo))!;
          const token = await signDemoToken('county-enforcement', { dataDir });
          const response = await fetch(`${origin}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({
              query: TRACED_QUERY,
              variables: { uscc: permit.holderUscc },
              operationName: 'Traced',
            }),
          });
          const answer = (await response.json()) as { data?: { subject: { permits: unknown[] } }; errors?: unknown };
          expect(answer.errors).toBeUndefined();
          expect(answer.data?.subject.permits.length).toBeGreaterThan(0);
          // Sent again, the query is compiled (graphql-jit stays on while tracing) and still gives its operation span.
          for (let again = 0; again < 2; again++) {
            const repeated = await fetch(`${origin}/graphql`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
              body: JSON.stringify({
                query: TRACED_QUERY,
                variables: { uscc: permit.holderUscc },
                operationName: 'Traced',
              }),
            });
            expect(((await repeated.json()) as { errors?: unknown }).errors).toBeUndefined();
          }
          const metrics = await (await fetch(`${origin}/metrics`)).text();
          expect(metrics).toMatch(/gateway_graphql_executions_total\{engine="jit"\} 2\n/);
        } finally {
          child.kill('SIGTERM');
          expect((await exited)[0]).toBe(0);
        }

        // The shutdown flushed every span; find the query's trace through its operation span.
        expect(receiver.spans.filter((s) => s.name === 'query Traced')).toHaveLength(3);
        const operation = receiver.spans.find((s) => s.name === 'query Traced');
        expect(operation, `spans received: ${receiver.spans.map((s) => s.name).join(', ')}`).toBeDefined();
        const trace = receiver.spans.filter((s) => s.traceId === operation!.traceId);
        const names = trace.map((s) => s.name);
        expect(names).toContain('POST'); // the HTTP server span of the request itself
        expect(names).toEqual(
          expect.arrayContaining(['dataloader.batch permitsByHolder', 'dataloader.batch inspectionsByPermitNo']),
        );
        const storeQuery = databaseUrl ? /^pg\.query/ : /^pglite\.query/;
        expect(
          names.some((name) => storeQuery.test(name)),
          names.join(', '),
        ).toBe(true);
        expect(operation!.attributes['graphql.operation.name']).toBe('Traced');
        expect(operation!.attributes['graphql.operation.type']).toBe('query');
        expect(operation!.attributes['graphql.source']).toBe(TRACED_QUERY);

        // The same span tree whichever engine executed: graphql-js the first time, graphql-jit after.
        const trees = receiver.spans.filter((s) => s.name === 'query Traced').map((s) => subtreeOf(s, receiver.spans));
        expect(trees[0]!.length).toBeGreaterThan(4);
        expect(trees[1]).toEqual(trees[0]);
        expect(trees[2]).toEqual(trees[0]);

        // Upstream calls are client spans under their loader's batch, and the agency got their traceparent.
        const batch = trace.find((s) => s.name === 'dataloader.batch inspectionsByPermitNo')!;
        const upstream = trace.find(
          (s) =>
            s.parentSpanId === batch.spanId && String(s.attributes['url.full']).startsWith(proxies.supervision.url),
        );
        expect(upstream, names.join(', ')).toBeDefined();
        const traceparents = proxies.supervision.seen.map((headers) => headers['traceparent']);
        expect(traceparents).toContain(`00-${operation!.traceId}-${upstream!.spanId}-01`);

        // The access log's entry for this query carries the trace id.
        const reader = await openStore(databaseUrl ? { databaseUrl } : { dataDir: join(dataDir, 'pglite') });
        try {
          const entries = await reader.prisma.accessLogEntry.findMany({ where: { operationName: 'Traced' } });
          expect(entries.map((e) => e.traceId)).toContain(operation!.traceId);
          expect(entries).toHaveLength(3);
          // Each execution's entry names its own trace, graphql-js's and the compiled query's alike.
          const operationTraces = receiver.spans.filter((s) => s.name === 'query Traced').map((s) => s.traceId);
          expect(entries.map((e) => e.traceId).sort()).toEqual(operationTraces.sort());
        } finally {
          await reader.close();
          await rm(dataDir, { recursive: true, force: true });
        }
      },
      240_000,
    );
  }
});
