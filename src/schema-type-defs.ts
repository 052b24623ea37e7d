import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const schemaDirectory = fileURLToPath(new URL('../schema/', import.meta.url));

/**
 * The SDL files of schema/, in a stable order. Apart from schema.ts so that code reading the
 * declarations (webhook receivers' rules) need not import every resolver, and no import cycle forms.
 */
export function loadTypeDefs(): string[] {
  return readdirSync(schemaDirectory)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(schemaDirectory + file, 'utf8'));
}
