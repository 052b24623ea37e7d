/**
 * Child process: the Mesh / Hive Gateway peer over the same four simulated agencies. Composes
 * bench/hive/mesh.config.ts with `mesh-compose` against the simulators' URLs (they are written
 * into the supergraph), then serves the supergraph with Hive Gateway's runtime over node:http,
 * which is what `hive-gateway supergraph` runs, here in a process the benchmark can probe.
 * Offline: no Hive registry, no reporting; no permission layer.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import type { AgencySystem } from '../../src/domain/types.ts';
import { announceReady, answerProbes } from './probe.ts';

const urls = JSON.parse(process.env.BENCH_UPSTREAMS!) as Record<AgencySystem, string>;
const supergraph = join(mkdtempSync(join(tmpdir(), 'bench-hive-')), 'supergraph.graphql');
const root = fileURLToPath(new URL('../../', import.meta.url));
execFileSync(join(root, 'node_modules/.bin/mesh-compose'), ['-o', supergraph], {
  cwd: join(root, 'bench/hive'),
  env: {
    ...process.env,
    APPROVAL_URL: urls.approval,
    SUPERVISION_URL: urls.supervision,
    ENFORCEMENT_URL: urls.enforcement,
    CREDIT_URL: urls.credit,
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});

const gateway = createGatewayRuntime({
  supergraph,
  logging: false,
  graphqlEndpoint: '/graphql',
  landingPage: false,
  graphiql: false,
});
const server = createServer(gateway);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
answerProbes(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await gateway.dispose();
});
announceReady({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
