import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** Runs a simulators command as its README does (`node --import tsx …`), to its exit. */
async function run(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'simulators', script), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const overrun = setTimeout(() => child.kill('SIGKILL'), 50_000);
  try {
    const [code] = (await once(child, 'close')) as [number | null];
    return { code, stdout, stderr };
  } finally {
    clearTimeout(overrun);
  }
}

/**
 * Every simulators command reads `--seed`, `--scale` and `--port` as the gateway reads
 * SIMULATOR_SEED and SIMULATOR_SCALE: `measure.ts` read `--seed 0x10` as 16 and `--seed 1e3` as
 * 1000 through `Number()`, and measured a world nobody asked for without a word.
 */
describe('the simulators commands, given an option they cannot take', () => {
  it.each([
    ['measure.ts', ['--seed', '0x10'], '--seed "0x10": must be a whole number from 0 to 4294967295'],
    ['measure.ts', ['--seed', '1e3'], '--seed "1e3": must be a whole number from 0 to 4294967295'],
    ['measure.ts', ['--seed', ''], '--seed "": must be a whole number from 0 to 4294967295'],
    ['measure.ts', ['--scale', '1e1'], '--scale "1e1": must be a decimal number above 0 and at most 100'],
    ['main.ts', ['--seed', '0x10'], '--seed "0x10": must be a whole number from 0 to 4294967295'],
    ['main.ts', ['--port', '65533'], '--port "65533": must be a whole number from 0 to 65532'],
  ])(
    '%s %j exits 2 naming the option, its value and what it takes',
    async (script, args, refusal) => {
      const { code, stdout, stderr } = await run(script, args);
      expect({ code, stderr, stdout }).toEqual({ code: 2, stderr: `${refusal}\n`, stdout: '' });
    },
    60_000,
  );
});
