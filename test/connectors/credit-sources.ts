import { startSimulator, type StartedSimulator, type World } from '../../simulators/index.ts';
import {
  ProfileCreditConnector,
  createSqlCreditConnector,
  httpProfileSource,
  loadShippedProfile,
  type CreditConnector,
} from '../../src/connectors/index.ts';
import type { Metrics } from '../../src/platform/metrics.ts';
import { freshExchangeDb, TEST_MARIADB_URL, type ExchangeDb } from '../support/exchange-db.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import type { recordingLogger } from './recording-logger.ts';

/** One way the credit platform (both mapped by profiles/credit.yaml) reaches the gateway, running over a world, with an outage switch. */
export interface RunningCreditSource {
  connector: CreditConnector;
  /** The simulated platform: `/__sim/mutate` changes both its API and its 前置库. */
  simulator: StartedSimulator;
  /** The source stops answering (connections refused), as a dead host would. */
  outage(): Promise<void>;
  recover(): Promise<void>;
  close(): Promise<void>;
}

export interface CreditSource {
  name: string;
  /** False when the source cannot run here (no MariaDB answered); use with describe.runIf. */
  available: boolean;
  start(world: World, metrics: Metrics, logger: ReturnType<typeof recordingLogger>): Promise<RunningCreditSource>;
}

/** The production timeouts and retries; a breaker quick to close again, so the outage test finishes fast. */
const PATIENCE = { breaker: { threshold: 5, halfOpenAfterMs: 500 } };

const httpApi: CreditSource = {
  name: 'HTTP API',
  available: true,
  async start(world, metrics, logger) {
    const simulator = await startSimulator('credit', world);
    const connector = new ProfileCreditConnector(
      httpProfileSource(loadShippedProfile('credit'), { ...PATIENCE, baseUrl: simulator.url, metrics, logger }),
    );
    return {
      connector,
      simulator,
      outage: async () => {
        await simulator.control.setFaults({ down: true });
      },
      recover: async () => {
        await simulator.control.clearFaults();
      },
      close: () => simulator.close(),
    };
  },
};

/** The 前置库 in a database of its own, reached through a TCP proxy the test can cut. */
const exchangeDatabase: CreditSource = {
  name: '前置库 (MariaDB)',
  available: TEST_MARIADB_URL !== undefined,
  async start(world, metrics, logger) {
    const db: ExchangeDb = await freshExchangeDb();
    const proxy: TcpProxy = await startTcpProxy({ host: db.host, port: db.port });
    const simulator = await startSimulator('credit', world, { exchangeDbUrl: db.url });
    const connector = createSqlCreditConnector(db.urlVia('127.0.0.1', proxy.port), { ...PATIENCE, metrics, logger });
    return {
      connector,
      simulator,
      outage: () => proxy.refuse(),
      recover: () => proxy.allow(),
      close: async () => {
        await connector.close();
        await simulator.close();
        await proxy.close();
        await db.drop();
      },
    };
  },
};

export const CREDIT_SOURCES: readonly CreditSource[] = [httpApi, exchangeDatabase];
