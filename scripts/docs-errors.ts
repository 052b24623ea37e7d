import { readFileSync, writeFileSync } from 'node:fs';
import { withErrorTables } from '../src/errors/index.ts';

// Rewrites the README's error tables from src/errors/error-catalogue.ts.
const path = new URL('../README.md', import.meta.url);
writeFileSync(path, withErrorTables(readFileSync(path, 'utf8')));
