/**
 * `npm run generate:prisma`: runs `prisma generate` without letting the CLI reach the network.
 * Before generating, the CLI resolves the native schema engine and downloads it when
 * PRISMA_SCHEMA_ENGINE_BINARY does not name an existing file; generate never runs that engine,
 * so any existing file will do. Offline networks (and this project's CI) depend on this.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const cli = join(dirname(createRequire(import.meta.url).resolve('prisma/package.json')), 'build', 'index.js');

const result = spawnSync(process.execPath, [cli, 'generate', '--schema', join(root, 'prisma', 'schema.prisma')], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? join(root, 'package.json'),
    // No update check or telemetry call home from an air-gapped network.
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});
process.exitCode = result.status ?? 1;
