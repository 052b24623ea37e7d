import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startScript } from '../support/start-script.ts';
import { GATEWAY_NODE_ENV, GATEWAY_NODE_FLAGS } from '../../bench/harness/variants.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** `npm start`'s command, as package.json has it, without the environment assignments before it. */
function startCommand(): string[] {
  const { command, args } = startScript();
  return [command, ...args];
}

/** The variables `npm start` sets before `node` (the shell's `NAME=value command`). */
const startEnvironment = () => startScript().env;

describe('npm start, which runs the compiled build in dist/', () => {
  it('runs JavaScript, not the TypeScript sources', () => {
    const [command, ...args] = startCommand();
    expect(command).toBe('node');
    expect(args.filter((arg) => /\.[cm]?[jt]s$/.test(arg))).toEqual([
      './dist/src/platform/tracing.js',
      'dist/src/main.js',
    ]);
  });

  it('passes Node the flags the benchmark runs the gateway with, so the benchmark measures what ships', () => {
    const [, ...args] = startCommand();
    expect(args.slice(0, args.indexOf('--import'))).toEqual(GATEWAY_NODE_FLAGS);
  });

  it("sets the environment the benchmark runs the gateway with (glibc's fixed mmap threshold)", () => {
    expect(startEnvironment()).toEqual(GATEWAY_NODE_ENV);
    expect(GATEWAY_NODE_ENV).toHaveProperty('MALLOC_MMAP_THRESHOLD_');
  });

  it('finds every file the gateway reads beside its code: SDL, migrations, profiles, reference data, the console, the bundled simulators', async () => {
    const [, ...args] = startCommand();
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...startEnvironment(),
        PORT: '0',
        DATA_DIR: 'memory://',
        AUTH_REQUIRED: 'false',
        LOG_LEVEL: 'warn',
      },
    });
    const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
    let output = '';
    try {
      const endpoint = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const ready = /gateway ready: (http:\/\/\S+\/graphql)/.exec(output);
          if (ready) resolve(ready[1]!);
        });
        child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
        void exited.then(([code]) => reject(new Error(`gateway exited (${code}) before it was ready:\n${output}`)));
      });
      expect(output).toContain('(bundled simulators)');

      const answer = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-purpose': 'compiled-start-test' },
        body: JSON.stringify({ query: '{ subjects(first: 1) { totalCount nodes { uscc permits { permitNo } } } }' }),
      }).then(
        (response) => response.json() as Promise<{ data?: { subjects: { totalCount: number } }; errors?: unknown }>,
      );
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.subjects.totalCount).toBeGreaterThan(0);

      const consolePage = await fetch(new URL('/', endpoint));
      expect(consolePage.status).toBe(200);
      expect(await consolePage.text()).toContain('<script type="module"');

      const ide = await fetch(endpoint, { headers: { accept: 'text/html' } });
      expect(ide.status).toBe(200);
      await ide.body?.cancel();
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await exited;
    expect(code).toBe(0);
    // The bundled simulators and PGlite start inside this test: 46 s were seen at a load average of 26.
  }, 180_000);
});
