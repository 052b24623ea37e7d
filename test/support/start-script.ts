import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

function startWords(): string[] {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  return (manifest.scripts['start'] ?? '').split(/\s+/);
}

/**
 * `npm start` as package.json has it, taken apart so a test can run it without npm in between (so
 * a signal reaches the gateway itself): the command and its arguments, and the variables the
 * shell's `NAME=value command` sets before it.
 */
export function startScript(): { command: string; args: string[]; env: Record<string, string> } {
  const words = startWords();
  const firstCommandWord = words.findIndex((word) => !ASSIGNMENT.test(word));
  const env = Object.fromEntries(
    words.slice(0, firstCommandWord).map((word) => ASSIGNMENT.exec(word)!.slice(1, 3) as [string, string]),
  );
  const [command = '', ...args] = words.slice(firstCommandWord);
  return { command, args, env };
}

/**
 * Runs `npm start`'s command from the repository's root without npm in between, so a signal reaches
 * the gateway itself: the script's own variables, then `env` over them; output piped for reading.
 */
export function spawnStart(env: Record<string, string>): ChildProcessByStdio<null, Readable, Readable> {
  const { command, args, env: scriptEnv } = startScript();
  return spawn(command === 'node' ? process.execPath : command, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...scriptEnv, ...env },
  });
}
