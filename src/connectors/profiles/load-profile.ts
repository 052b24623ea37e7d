import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import type { AgencyProfile, FieldSpec } from './profile-types.ts';

/** Where the shipped profiles and their schema live. */
export const PROFILES_DIR = new URL('../../../profiles/', import.meta.url);

/** A profile that cannot be used, with every problem found (not just the first). */
export class ProfileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: invalid agency profile\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ProfileError';
  }
}

let validator: ValidateFunction | undefined;

/** Ajv (the most used JSON Schema validator for JavaScript), compiled once from the shipped schema. */
function validate(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(readFileSync(new URL('agency-profile.schema.json', PROFILES_DIR), 'utf8')) as object;
    validator = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return validator;
}

/** Reads and checks a profile (YAML or JSON, by content); throws `ProfileError` naming every problem. */
export function loadProfile(file: string | URL): AgencyProfile {
  const name = typeof file === 'string' ? file : file.pathname;
  let document: unknown;
  try {
    document = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ProfileError(name, [error instanceof Error ? error.message : String(error)]);
  }
  return checkProfile(document, name);
}

const shipped = new Map<string, AgencyProfile>();

/** Loads one of the shipped profiles by system name (`profiles/<system>.yaml`), once per process. */
export function loadShippedProfile(system: string): AgencyProfile {
  let profile = shipped.get(system);
  if (!profile) {
    profile = loadProfile(new URL(`${system}.yaml`, PROFILES_DIR));
    shipped.set(system, profile);
  }
  return profile;
}

export function checkProfile(document: unknown, name: string): AgencyProfile {
  const check = validate();
  if (!check(document)) throw new ProfileError(name, (check.errors ?? []).map(describeSchemaError));
  const profile = document as AgencyProfile;
  const problems = crossReferenceProblems(profile);
  if (problems.length > 0) throw new ProfileError(name, problems);
  return profile;
}

function describeSchemaError(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(top level)' : error.instancePath;
  const detail =
    error.keyword === 'additionalProperties'
      ? `unknown property "${String((error.params as { additionalProperty: string }).additionalProperty)}"`
      : error.keyword === 'enum'
        ? `${error.message ?? ''}: ${JSON.stringify((error.params as { allowedValues: unknown }).allowedValues)}`
        : (error.message ?? error.keyword);
  return `${where}: ${detail}`;
}

/** What a JSON Schema cannot say: names that must refer to something defined elsewhere in the profile. */
function crossReferenceProblems(profile: AgencyProfile): string[] {
  const problems: string[] = [];
  const resources = profile.transport.resources;
  const tables = profile.codeTables ?? {};
  if (!(profile.transport.pingResource in resources)) {
    problems.push(`/transport/pingResource: no resource "${profile.transport.pingResource}"`);
  }
  for (const [name, mapping] of Object.entries(profile.mappings)) {
    const wholeTables = profile.transport.referenceTables ?? {};
    if (!(mapping.resource in resources) && !(mapping.resource in wholeTables))
      problems.push(`/mappings/${name}/resource: no resource "${mapping.resource}"`);
    collectTableProblems(mapping.fields, tables, `/mappings/${name}/fields`, problems);
    // Either transport may serve every mapping, so the 前置库 must hold each resource too.
    if (profile.sqlTransport && !(mapping.resource in profile.sqlTransport.resources))
      problems.push(`/mappings/${name}/resource: no sqlTransport table for "${mapping.resource}"`);
  }
  return problems;
}

function collectTableProblems(
  fields: Record<string, FieldSpec>,
  tables: Record<string, unknown>,
  at: string,
  problems: string[],
): void {
  for (const [name, spec] of Object.entries(fields)) {
    if (typeof spec === 'string') continue;
    for (const table of [spec.code, spec.codes]) {
      if (table !== undefined && !(table in tables)) problems.push(`${at}/${name}: no code table "${table}"`);
    }
    if (spec.object) collectTableProblems(spec.object, tables, `${at}/${name}/object`, problems);
    if (spec.items) collectTableProblems(spec.items, tables, `${at}/${name}/items`, problems);
  }
}
