/**
 * Load shapes. undici's Pool is the client: it holds exactly the number of keep-alive
 * connections asked for (a closed loop of N connections is N sockets, not whatever fetch's
 * global agent decides) and costs the load generator less per request than fetch, which
 * matters when the generator shares two cores with the servers. Latencies go into an
 * HdrHistogram (hdr-histogram-js), whose percentiles are exact to three significant digits
 * and which merges across rounds without keeping every sample.
 */
import { performance } from 'node:perf_hooks';
import * as hdr from 'hdr-histogram-js';
import { Pool } from 'undici';

export type Histogram = hdr.Histogram;

/** Microseconds, up to two minutes. */
export const newHistogram = (): Histogram =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });

export interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
}

export interface LoadResult {
  histogram: Histogram;
  requests: number;
  /** Answers that were not HTTP 200 with data and no errors. */
  failures: number;
  /** The first failed answer, abridged, for the log. */
  firstFailure?: string;
  wallMs: number;
}

export interface Sent {
  status: number;
  text: string;
}

/** A client of one target with `connections` keep-alive sockets. */
export function clientOf(target: Target, connections: number | null) {
  const pool = new Pool(target.url, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const headers = { 'content-type': 'application/json', ...target.headers };
  return {
    async send(body: string): Promise<Sent> {
      const response = await pool.request({ path: '/graphql', method: 'POST', headers, body });
      return { status: response.statusCode, text: await response.body.text() };
    },
    close: () => pool.close(),
  };
}

const succeeded = (sent: Sent) => sent.status === 200 && !sent.text.includes('"errors":');
const abridged = (sent: Sent) => `HTTP ${sent.status} ${sent.text.slice(0, 400)}`;

/**
 * `connections` clients, each sending its next request when its last is answered, for `requests`
 * in all. Several bodies are sent in turn (a mix), one after another in the order given.
 */
export async function closedLoop(
  target: Target,
  body: string | readonly string[],
  connections: number,
  limit: { requests?: number; ms?: number },
): Promise<LoadResult> {
  const bodies = typeof body === 'string' ? [body] : body;
  const client = clientOf(target, connections);
  const histogram = newHistogram();
  let started = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const begin = performance.now();
  const more = () => (limit.requests !== undefined ? started < limit.requests : performance.now() - begin < limit.ms!);
  const worker = async () => {
    while (more()) {
      const next = bodies[started % bodies.length]!;
      started += 1;
      const sentAt = performance.now();
      // A server may refuse a body by closing the connection (an attack over the body limit): a failure, not a crash.
      const sent = await client.send(next).catch((error: unknown): Sent => ({ status: 0, text: String(error) }));
      histogram.recordValue(Math.max(1, Math.round((performance.now() - sentAt) * 1000)));
      if (!succeeded(sent)) {
        failures += 1;
        firstFailure ??= abridged(sent);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const wallMs = performance.now() - begin;
  await client.close();
  return { histogram, requests: started, failures, firstFailure, wallMs };
}

/**
 * Requests at a constant rate whatever the answers do, each one's latency measured from the
 * moment it was scheduled to go, not from when it went: a stalled server (or client) then shows
 * its whole stall in every request it held up, which is what a caller at that rate would see
 * (coordinated omission, the reason autocannon's -R figures came out below the upstreams' own).
 */
export async function openLoop(
  target: Target,
  body: string,
  ratePerSecond: number,
  durationMs: number,
): Promise<LoadResult> {
  const client = clientOf(target, null);
  const histogram = newHistogram();
  const total = Math.round((ratePerSecond * durationMs) / 1000);
  const intervalMs = 1000 / ratePerSecond;
  let failures = 0;
  let firstFailure: string | undefined;
  const inFlight: Array<Promise<void>> = [];
  const begin = performance.now();
  const fire = (scheduledAt: number) =>
    client.send(body).then(
      (sent) => {
        histogram.recordValue(Math.max(1, Math.round((performance.now() - scheduledAt) * 1000)));
        if (!succeeded(sent)) {
          failures += 1;
          firstFailure ??= abridged(sent);
        }
      },
      (error: unknown) => {
        failures += 1;
        firstFailure ??= String(error);
      },
    );
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = () => {
      const now = performance.now();
      while (next < total && begin + next * intervalMs <= now) {
        inFlight.push(fire(begin + next * intervalMs));
        next += 1;
      }
      if (next >= total) resolve();
      else setTimeout(tick, Math.max(0, begin + next * intervalMs - performance.now()));
    };
    tick();
  });
  await Promise.all(inFlight);
  const wallMs = performance.now() - begin;
  await client.close();
  return { histogram, requests: total, failures, firstFailure, wallMs };
}
