import type { ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { spawnStart } from './start-script.ts';

/** The agencies a gateway process is pointed at: the bundled simulators' URLs. */
type AgencyUrls = Record<'approval' | 'supervision' | 'enforcement' | 'credit', string>;

/**
 * The environment of a gateway process a test starts in front of `urls`, on the embedded store in
 * `dataDir`: it logs at info (a test reads its lines) and runs no scheduled sync, whose requests
 * would mix with the test's.
 */
export function quietGatewayEnv(urls: AgencyUrls, dataDir: string): Record<string, string> {
  return {
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    REGISTRY_SYNC_INTERVAL_MS: '3600000',
    LOOP_INDEX_SYNC_INTERVAL_MS: '0',
    APPROVAL_URL: urls.approval,
    SUPERVISION_URL: urls.supervision,
    ENFORCEMENT_URL: urls.enforcement,
    CREDIT_URL: urls.credit,
  };
}

export interface ReadyGateway {
  /** `http://host:port`, as its "gateway ready" line says. */
  origin: string;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  /** Everything it has printed so far, both streams. */
  output(): string;
  /**
   * Its output once it contains `text`, or as it is after `timeoutMs`: a line logged as a request
   * is answered reaches the pipe a moment after the answer, later still on a busy machine.
   */
  outputOnceItShows(text: string, timeoutMs: number): Promise<string>;
}

/**
 * Resolves once the process logs "gateway ready"; rejects with what it printed if it exits first.
 * `exited` waits for 'close', not 'exit': at 'exit' its last lines may still be in the pipes.
 */
export function readyGateway(child: ChildProcessByStdio<null, Readable, Readable>): Promise<ReadyGateway> {
  const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  let output = '';
  const waiters = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of waiters) waiter();
  };
  const outputOnceItShows = (text: string, timeoutMs: number) =>
    new Promise<string>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
        resolve(output);
      };
      const check = () => {
        if (output.includes(text)) done();
      };
      const timer = setTimeout(done, timeoutMs);
      waiters.add(check);
      check();
    });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      append(chunk);
      const match = /gateway ready: (http:\/\/[^/\s]+)\/graphql/.exec(output);
      if (match) resolve({ origin: match[1]!, exited, output: () => output, outputOnceItShows });
    });
    child.stderr.on('data', append);
    void exited.then(([code]) => reject(new Error(`gateway exited (${String(code)}) before it was ready:\n${output}`)));
  });
}

/** What a test reads of one answer: its status, its Retry-After and its errors' codes. */
export interface AnswerCodes {
  status: number;
  retryAfter: string | null;
  codes: unknown[];
}

export const SERVED: AnswerCodes = { status: 200, retryAfter: null, codes: [] };

/** A token of one of the demo issuer's presets, from the gateway's console route. */
export async function demoToken(origin: string, preset: string, timeoutMs: number): Promise<string> {
  const response = await fetch(`${origin}/console/demo-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ preset }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return ((await response.json()) as { token: string }).token;
}

/** Posts `query` with `bearer`, bounded by `timeoutMs`: an answer, not a hang. */
export async function answerCodes(
  origin: string,
  bearer: string,
  query: string,
  timeoutMs: number,
): Promise<AnswerCodes> {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: unknown } }> };
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    codes: (body.errors ?? []).map((error) => error.extensions?.code),
  };
}

/** A gateway process on the embedded store with a fault preloaded, which holds while `triggerFile` exists. */
export interface FaultyGateway extends ReadyGateway {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** The store's folder, for reading the access log once the process has stopped. */
  storeDir: string;
  triggerFile: string;
  /** Kills the process if it still runs and removes its folder. */
  close(): Promise<void>;
}

/**
 * The gateway as `npm start` runs it, in its own process on a fresh data folder, with `preload`
 * (a module in test/support) imported first and told, through `triggerVariable`, of a file whose
 * existence switches its fault on: a fault in the process a test cannot inject from outside.
 */
export async function startFaultyGateway(
  urls: AgencyUrls,
  options: { preload: string; triggerVariable: string },
): Promise<FaultyGateway> {
  const folder = await mkdtemp(join(tmpdir(), 'gw-fault-'));
  const triggerFile = join(folder, 'fault-on');
  const child = spawnStart({
    ...quietGatewayEnv(urls, join(folder, 'data')),
    NODE_OPTIONS: `--import ${pathToFileURL(join(import.meta.dirname, options.preload)).href}`,
    [options.triggerVariable]: triggerFile,
  });
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rm(folder, { recursive: true, force: true });
  };
  try {
    return { child, storeDir: join(folder, 'data', 'pglite'), triggerFile, close, ...(await readyGateway(child)) };
  } catch (error) {
    await close();
    throw error;
  }
}
