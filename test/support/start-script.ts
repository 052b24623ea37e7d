import { readFileSync } from 'node:fs';
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
