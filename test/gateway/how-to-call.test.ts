import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { howToCall, storeLine } from '../../src/how-to-call.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

let gw: TestGateway | undefined;
const folders: string[] = [];
afterEach(async () => {
  await gw?.close();
  gw = undefined;
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Runs the printed shell lines from `TOKEN=` on in bash, from the checkout as `npm start` runs, with no DATA_DIR set. */
async function pasteIntoAShell(
  lines: string[],
): Promise<{ data?: { subjects: { totalCount: number } }; errors?: unknown }> {
  // The shell is the indented lines; the rest is prose around them.
  const shell = lines.filter((line) => line.startsWith('  '));
  const script = shell.slice(shell.findIndex((line) => line.includes('TOKEN=')));
  const env = { ...process.env };
  delete env['DATA_DIR'];
  const { stdout } = await run('bash', ['-c', `set -e\n${script.join('\n')}`], { cwd: ROOT, env });
  return JSON.parse(stdout) as { data?: { subjects: { totalCount: number } }; errors?: unknown };
}

function printedFor(gateway: TestGateway, dataDir: string): string[] {
  return howToCall({ endpoint: `${gateway.url}/graphql`, authRequired: true, demoIssuer: true, dataDir });
}

describe('what npm start prints for a first request, pasted into a shell as printed', () => {
  it('gets a token the gateway accepts when DATA_DIR names another folder than ./data', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gw-how-to-call-'));
    folders.push(dataDir);
    gw = await startTestGateway({ authRequired: true, dataDir });
    const printed = printedFor(gw, dataDir);
    expect(printed.join('\n')).toContain(`--data-dir ${dataDir}`);
    const answer = await pasteIntoAShell(printed);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.subjects.totalCount).toBeGreaterThan(0);
  }, 120_000);

  it('gets a token the gateway accepts under DATA_DIR=memory://, whose keys no other process can read', async () => {
    gw = await startTestGateway({ authRequired: true, dataDir: 'memory://' });
    const answer = await pasteIntoAShell(printedFor(gw, 'memory://'));
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.subjects.totalCount).toBeGreaterThan(0);
  }, 120_000);

  it('prints the plain command for the default folder', () => {
    const printed = howToCall({
      endpoint: 'http://127.0.0.1:4000/graphql',
      authRequired: true,
      demoIssuer: true,
      dataDir: './data',
    });
    expect(printed).toContain('  TOKEN=$(npm run -s token -- --as county-analyst)');
  });

  it('quotes a folder with a space as one shell word', () => {
    const printed = howToCall({
      endpoint: 'http://127.0.0.1:4000/graphql',
      authRequired: true,
      demoIssuer: true,
      dataDir: "/srv/it's data",
    });
    expect(printed.join('\n')).toContain(`--data-dir '/srv/it'\\''s data'`);
  });
});

describe('the banner’s store line', () => {
  it('names the folder of an embedded store, and says an in-memory one keeps nothing rather than naming a folder', () => {
    expect(storeLine({ dataDir: './data' })).toBe('Store: embedded PGlite under ./data/pglite');
    const inMemory = storeLine({ dataDir: 'memory://' });
    expect(inMemory).toContain('nothing is kept');
    expect(inMemory).not.toContain('memory:///pglite');
    expect(storeLine({ databaseUrl: 'postgresql://db/gateway', dataDir: './data' })).toBe(
      'Store: PostgreSQL (DATABASE_URL)',
    );
  });
});
