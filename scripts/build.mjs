/**
 * `npm run build`: compiles the gateway to dist/ (what `npm start` runs), replacing any earlier
 * build. tsc only emits; type errors are `npm run typecheck`'s to report. With `--if-stale`
 * (`npm start` runs it first) it builds only when a source is newer than the last build, so an
 * edited source is never run stale and an unchanged one costs no start time.
 *
 * The code finds its files relative to its own module (`new URL('../../prisma/', import.meta.url)`),
 * and compiled modules sit one folder deeper (dist/src/… for src/…). So dist/ gets what those
 * paths reach: the non-TypeScript files beside the sources (each module's SDL) are copied, and
 * the project's data folders are linked, so that a path works the same from src/ and from dist/src/.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, 'dist');
const stamp = join(dist, '.built');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** Compiled folders whose non-TypeScript files the code reads beside itself. */
const COMPILED_FOLDERS = ['src', 'simulators'];
/** Folders the code reaches from its own place: SDL, migrations, profiles, reference data, the console. */
const DATA_FOLDERS = ['prisma', 'profiles', 'reference-data', 'schema', 'web'];
/** What a build depends on (the bench's gateway process is compiled too). */
const INPUTS = [...COMPILED_FOLDERS, 'bench/harness', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs'];

if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);

rmSync(dist, { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
for (const folder of COMPILED_FOLDERS) {
  cpSync(join(root, folder), join(dist, folder), {
    recursive: true,
    filter: (source) => !/\.(ts|md)$/.test(source),
  });
}
for (const folder of DATA_FOLDERS) symlinkSync(join('..', folder), join(dist, folder), 'dir');
writeFileSync(stamp, `${new Date().toISOString()}\n`);

function isStale() {
  const built = statSync(stamp, { throwIfNoEntry: false })?.mtimeMs;
  return built === undefined || INPUTS.some((input) => newestChange(join(root, input)) > built);
}

function newestChange(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestChange(join(path, entry))));
}
