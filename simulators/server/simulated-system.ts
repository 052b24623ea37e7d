import type { AgencySystem } from '../../src/domain/types.ts';
import type { MutableResource } from './resource-store.ts';

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** The parsed JSON body; undefined when there was none. */
  body: unknown;
  /** Called by batch endpoints with the number of keys asked for, for /__sim/stats. */
  countBatch(keys: number): void;
}

/** Each agency's own envelope around answers and errors. */
export interface Envelope {
  ok(data: unknown): unknown;
  error(message: string, status: number): unknown;
}

/** One agency system as simulated: its envelope, its routes and its mutable resources. */
export interface SimulatedSystem {
  system: AgencySystem;
  envelope: Envelope;
  resources: readonly MutableResource[];
  /** The answer's data (to be wrapped in the envelope), or undefined when no route matches. */
  route(request: SimRequest): unknown;
  /**
   * Resolves once every change so far has reached the system's other outlets (its 前置库), and
   * rejects if one could not be written; `/__sim/mutate` answers only then.
   */
  settled?(): Promise<void>;
}
