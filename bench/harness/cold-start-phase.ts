/**
 * Cold start as `npm start` does it (the compiled build, the package.json Node flags, bundled
 * simulators, PGlite on disk): once on an empty data folder, which fills it, then again on that
 * warm folder. Ready = the "gateway ready" line on stdout and then /readyz answering 200.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Report } from './report.ts';
import { fmt } from './summary.ts';
import { buildIfStale, COMPILED_TRACING_PRELOAD } from './compiled-gateway.ts';
import { GATEWAY_NODE_ENV, GATEWAY_NODE_FLAGS } from './variants.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const READY_LIMIT_S = 10;
/** A start that takes longer than this is reported as failed rather than waited for. */
const GIVE_UP_MS = 120_000;

interface Started {
  lineMs: number;
  readyMs: number;
}

async function timeStart(dataDir: string): Promise<Started> {
  const began = performance.now();
  const child = spawn(
    process.execPath,
    [...GATEWAY_NODE_FLAGS, '--import', COMPILED_TRACING_PRELOAD, 'dist/src/main.js'],
    {
      cwd: ROOT,
      env: { ...process.env, ...GATEWAY_NODE_ENV, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  try {
    const { url, lineMs } = await new Promise<{ url: string; lineMs: number }>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`not ready within ${GIVE_UP_MS} ms:\n${stderr}`)), GIVE_UP_MS);
      child.once('exit', (code) => reject(new Error(`npm start exited (${code}):\n${stderr}`)));
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const ready = /gateway ready: (http:\/\/\S+)\/graphql/.exec(out);
        if (ready) {
          clearTimeout(timer);
          resolve({ url: ready[1]!, lineMs: performance.now() - began });
        }
      });
    });
    while (performance.now() - began < GIVE_UP_MS) {
      const response = await fetch(`${url}/readyz`).catch(() => null);
      await response?.body?.cancel();
      if (response?.status === 200) return { lineMs, readyMs: performance.now() - began };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`/readyz not 200 within ${GIVE_UP_MS} ms`);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

export async function coldStartPhase(report: Report, log: (line: string) => void) {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-cold-start-'));
  buildIfStale();
  log('cold start: empty data folder');
  const empty = await timeStart(dataDir);
  log('cold start: warm data folder');
  const warm = await timeStart(dataDir);
  report.heading('Cold start');
  report.paragraph(
    `\`npm start\` as package.json runs it (${Object.entries(GATEWAY_NODE_ENV)
      .map(([k, v]) => `${k}=${v} `)
      .join(
        '',
      )}node ${GATEWAY_NODE_FLAGS.join(' ')} dist/src/main.js, bundled simulators at scale 1, PGlite on disk), ` +
      'from spawning the process to its "gateway ready" line, and to `/readyz` answering 200: first on an empty data folder, then again on the folder the first start filled.',
  );
  report.table(
    ['data folder', 'ready line s', '/readyz 200 s'],
    [
      ['empty', fmt(empty.lineMs / 1000), fmt(empty.readyMs / 1000)],
      ['warm', fmt(warm.lineMs / 1000), fmt(warm.readyMs / 1000)],
    ],
  );
  report.target(
    `Cold start: \`npm start\` ready within ${READY_LIMIT_S} s on a warm data folder`,
    `${fmt(warm.readyMs / 1000)} s (empty folder ${fmt(empty.readyMs / 1000)} s)`,
    warm.readyMs <= READY_LIMIT_S * 1000,
  );
}
