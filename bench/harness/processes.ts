/** Starts the benchmark's child processes and talks to them over IPC. */
import { type ChildProcess, fork } from 'node:child_process';
import type { ProbeReading, ProbeRequest } from './probe.ts';

export interface Child {
  name: string;
  ready: Record<string, unknown>;
  probe(kind: Exclude<ProbeRequest['kind'], 'close' | 'profile-stop'>): Promise<ProbeReading>;
  /** Stops the profile started with probe('profile-start') and writes it to `path`. */
  stopProfile(path: string): Promise<ProbeReading>;
  close(): Promise<void>;
}

/**
 * Forks `script` (under tsx when it is TypeScript) with its own event loop, so no server shares a loop with the load
 * generator or with another server. Its stdout goes nowhere (a gateway logs a line per request,
 * as shipped); stderr is kept for the failure message.
 */
export function startChild(
  name: string,
  script: string | URL,
  env: Record<string, string>,
  nodeFlags: readonly string[] = [],
): Promise<Child> {
  const url = new URL(script, import.meta.url);
  const loader = url.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child: ChildProcess = fork(url, {
    execArgv: [...loader, '--expose-gc', ...nodeFlags],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let nextId = 0;
  const waiting = new Map<number, (reading: ProbeReading) => void>();
  const ask = (kind: ProbeRequest['kind'], path?: string) =>
    new Promise<ProbeReading>((resolve) => {
      nextId += 1;
      waiting.set(nextId, resolve);
      child.send({ id: nextId, kind, path } satisfies ProbeRequest);
    });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready:\n${stderr}`)));
    child.on('message', (message: { ready?: Record<string, unknown>; id?: number; reading?: ProbeReading }) => {
      if (message.ready) {
        resolve({
          name,
          ready: message.ready,
          probe: (kind) => ask(kind),
          stopProfile: (path) => ask('profile-stop', path),
          close: async () => {
            if (child.exitCode !== null) return;
            const exited = new Promise((done) => child.once('exit', done));
            await ask('close').catch(() => undefined);
            await exited;
          },
        });
      } else if (message.id !== undefined && message.reading) {
        waiting.get(message.id)?.(message.reading);
        waiting.delete(message.id);
      }
    });
  });
}

/** Waits (at most a minute) until the child uses under 5% of a core over a second: start-up work done. */
export async function settled(child: Child): Promise<void> {
  const until = Date.now() + 60_000;
  let last = await child.probe('read');
  while (Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = await child.probe('read');
    if (now.cpuMs - last.cpuMs < 50) return;
    last = now;
  }
}
