import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const LOGGER = join(import.meta.dirname, '..', '..', 'src', 'platform', 'logger.ts');

interface Run {
  stdout: string;
  code: number | null;
}

/**
 * Runs `body` in a process of its own with `logger` from createLogger() on its real stdout (a
 * pipe), read to the end, or with `readerGone` closed before the process writes to it.
 */
async function runWithLogger(body: string, options: { readerGone?: boolean } = {}): Promise<Run> {
  const script = `const { createLogger } = await import(${JSON.stringify(LOGGER)}); const logger = createLogger(); ${body}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let stdout = '';
  if (options.readerGone) child.stdout.destroy();
  else child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
  // 'close', not 'exit': the last lines may still be in the pipe when the process has exited.
  const closed = once(child, 'close') as Promise<[number | null]>;
  const timeout = new Promise<[null]>((resolve) => setTimeout(() => resolve([null]), 15_000));
  const [code] = await Promise.race([closed, timeout]);
  if (code === null) child.kill('SIGKILL');
  return { stdout, code };
}

const linesOf = (run: Run) =>
  run.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

// pino's default stdout writes asynchronously (a thread-pool write, lines queued behind it); pino
// writes the queue out synchronously on exit. These are the lines an operator can count on.
describe("the gateway's log on stdout", () => {
  it('still has every line logged just before process.exit, as a signal-driven shutdown ends', async () => {
    const run = await runWithLogger(
      `for (let i = 0; i < 3; i++) logger.info({ i }, 'line'); logger.warn('last words'); process.exit(0);`,
    );
    expect(run.code).toBe(0);
    // Sorted: a write already in the thread pool when the process exits may land after the exit's flush.
    expect(
      linesOf(run)
        .map((line) => `${String(line.msg)} ${String(line.i)}`)
        .sort(),
    ).toEqual(['last words undefined', 'line 0', 'line 1', 'line 2']);
  });

  it('still has the lines logged before an uncaught exception ends the process', async () => {
    const run = await runWithLogger(`logger.error({ cause: 'disk' }, 'about to fail'); throw new Error('boom');`);
    expect(run.code).toBe(1);
    expect(linesOf(run)).toEqual([expect.objectContaining({ level: 'error', msg: 'about to fail', cause: 'disk' })]);
  });

  it('ends at process.exit even when its reader has gone, the lines still queued given up', async () => {
    // Before, the exit's flush tried the failed write again forever: the process never exited.
    const run = await runWithLogger(`for (let i = 0; i < 1000; i++) logger.info({ i }, 'line'); process.exit(0);`, {
      readerGone: true,
    });
    expect(run.code).toBe(0);
  });
});
