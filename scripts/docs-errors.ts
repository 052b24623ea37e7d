import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withErrorTables } from '../src/errors/index.ts';

/**
 * `npm run docs:errors [-- --check] [file]`: rewrites the README's error tables from
 * src/errors/error-catalogue.ts and says whether anything changed. With `--check` it writes nothing
 * and exits 1 when the tables have drifted, so the question "is the README current?" has an answer
 * without reading `git diff`.
 */
const check = process.argv.includes('--check');
const named = process.argv.slice(2).find((argument) => !argument.startsWith('--'));
const file = named ?? fileURLToPath(new URL('../README.md', import.meta.url));
const label = named ?? 'README.md';
const catalogue = 'src/errors/error-catalogue.ts';

const written = readFileSync(file, 'utf8');
const current = withErrorTables(written);
if (current === written) {
  process.stdout.write(`${label}: the error tables match ${catalogue}\n`);
} else if (check) {
  process.stderr.write(`${label}: the error tables differ from ${catalogue}; npm run docs:errors rewrites them\n`);
  process.exit(1);
} else {
  writeFileSync(file, current);
  process.stdout.write(`${label}: the error tables rewritten from ${catalogue}\n`);
}
