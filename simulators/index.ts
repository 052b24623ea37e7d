import { AGENCY_SYSTEMS, type AgencySystem } from '../src/domain/types.ts';
import { type SimulatorControl, simulatorControl } from './control-client.ts';
import { RawJson } from './server/raw-json.ts';
import { type RunningServer, serveSystem } from './server/simulator-server.ts';
import type { SimulatedSystem } from './server/simulated-system.ts';
import { approvalSystem } from './systems/approval.ts';
import { creditSystem } from './systems/credit.ts';
import { openCreditExchangeDb } from './exchange-db/credit-exchange-db.ts';
import { enforcementSystem } from './systems/enforcement.ts';
import { supervisionSystem } from './systems/supervision.ts';
import { creditCheckCases } from './world/credit-check-cases.ts';
import { type WorldOptions, generateWorld } from './world/generate-world.ts';
import type { World } from './world/model.ts';

export { generateWorld } from './world/generate-world.ts';
export { creditCheckCases } from './world/credit-check-cases.ts';
export { exampleSubject } from './world/example-subject.ts';
export type { CreditCheckCase, CreditCheckManifest } from './world/credit-check-cases.ts';
export type { WorldOptions } from './world/generate-world.ts';
export type { LoopBreakKind, ManifestEntry, World } from './world/model.ts';
export type { FaultSettings, SimulatorControl, StatsSnapshot } from './control-client.ts';
export { simulatorControl } from './control-client.ts';

const SYSTEMS: Readonly<Record<AgencySystem, (world: World) => SimulatedSystem>> = {
  approval: approvalSystem,
  supervision: supervisionSystem,
  enforcement: enforcementSystem,
  credit: creditSystem,
};

export interface SimulatorOptions {
  host?: string;
  /** 0 or absent: an ephemeral port. */
  port?: number;
  /**
   * Credit only: also fill this 前置库 (`mysql://…/<database>`, created if missing) from the world
   * and write every `/__sim/mutate` change into it, so its change feed moves too.
   */
  exchangeDbUrl?: string;
}

export interface StartedSimulator {
  system: AgencySystem;
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:4101`. */
  url: string;
  control: SimulatorControl;
  close(): Promise<void>;
}

/**
 * The manifests every system serves, rendered once per world: the credit-check one reads the whole
 * world (seconds at scale 100), and the four systems of one world share it.
 */
const manifests = new WeakMap<World, { loopBreaks: RawJson; creditCheck: RawJson }>();

function manifestsOf(world: World): { loopBreaks: RawJson; creditCheck: RawJson } {
  let rendered = manifests.get(world);
  if (!rendered) {
    rendered = {
      loopBreaks: new RawJson(JSON.stringify(world.manifest)),
      creditCheck: new RawJson(JSON.stringify(creditCheckCases(world))),
    };
    manifests.set(world, rendered);
  }
  return rendered;
}

/** Starts one agency system's simulator over an already generated world. */
export async function startSimulator(
  system: AgencySystem,
  world: World,
  options: SimulatorOptions = {},
): Promise<StartedSimulator> {
  const simulated = SYSTEMS[system](world);
  const exchangeDb =
    system === 'credit' && options.exchangeDbUrl
      ? await openCreditExchangeDb(options.exchangeDbUrl, world, simulated.resources)
      : null;
  const { loopBreaks, creditCheck } = manifestsOf(world);
  const running: RunningServer = await serveSystem(
    exchangeDb ? { ...simulated, settled: () => exchangeDb.settled() } : simulated,
    loopBreaks,
    {
      creditCheckManifest: creditCheck,
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
    },
  );
  return {
    system,
    url: running.url,
    control: simulatorControl(running.url),
    close: async () => {
      await running.close();
      await exchangeDb?.close();
    },
  };
}

export interface SimulatorsOptions extends WorldOptions {
  host?: string;
  ports?: Partial<Record<AgencySystem, number>>;
  /** A world generated earlier, shared instead of generating one. */
  world?: World;
  /** Also fill the credit platform's 前置库 here (see `SimulatorOptions.exchangeDbUrl`). */
  creditExchangeDbUrl?: string;
}

export interface Simulators {
  world: World;
  urls: Record<AgencySystem, string>;
  control(system: AgencySystem): SimulatorControl;
  close(): Promise<void>;
}

/** Generates (or takes) one world and serves it from all four agency simulators. */
export async function startSimulators(options: SimulatorsOptions = {}): Promise<Simulators> {
  const world = options.world ?? generateWorld(options);
  const started: StartedSimulator[] = [];
  try {
    for (const system of AGENCY_SYSTEMS) {
      started.push(
        await startSimulator(system, world, {
          host: options.host,
          port: options.ports?.[system],
          exchangeDbUrl: system === 'credit' ? options.creditExchangeDbUrl : undefined,
        }),
      );
    }
  } catch (error) {
    await Promise.all(started.map((s) => s.close()));
    throw error;
  }
  const bySystem = new Map(started.map((s) => [s.system, s]));
  const urls = Object.fromEntries(started.map((s) => [s.system, s.url])) as Record<AgencySystem, string>;
  return {
    world,
    urls,
    control: (system) => bySystem.get(system)!.control,
    close: async () => {
      await Promise.all(started.map((s) => s.close()));
    },
  };
}
