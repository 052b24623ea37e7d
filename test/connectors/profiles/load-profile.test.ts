import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROFILES_DIR, ProfileError, loadProfile } from '../../../src/connectors/profiles/load-profile.ts';

const shipped = readdirSync(PROFILES_DIR).filter((name) => name.endsWith('.yaml'));

function writeProfile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'profile-')), 'agency.yaml');
  writeFileSync(file, text);
  return file;
}

function problemsOf(file: string): string[] {
  try {
    loadProfile(file);
  } catch (error) {
    if (error instanceof ProfileError) return error.problems;
    throw error;
  }
  throw new Error('the profile was accepted');
}

const minimalTransport = `
transport:
  kind: http
  baseUrlEnv: X_URL
  envelope: { statusPath: ok, okValues: [true], dataPath: data }
  paging: { style: offset, offsetParam: offset, limitParam: limit, totalPath: total, itemsPath: rows }
  changeFeed: { cursorParam: c, limitParam: l, itemsPath: rows, nextCursorPath: next, hasMorePath: more }
  pingResource: thing
  resources:
    thing: { list: /things, changes: /things/changes, batch: { path: /things/batch, style: key-per-field, keys: { id: ids } } }
`;

describe('agency profiles', () => {
  it.each(shipped)('the shipped %s is valid', (name) => {
    expect(() => loadProfile(new URL(name, PROFILES_DIR))).not.toThrow();
  });

  it('names every schema problem at once, with where it is', () => {
    const problems = problemsOf(
      writeProfile(`system: Bad Name
${minimalTransport}
resilience: { retries: -1, timeoutMs: fast }
mappings:
  thing:
    resource: thing
    id: id
    fields:
      when: { from: at, convert: date:DD.MM.YYYY }
      extra: { from: x, colour: red }
`),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/system: must match pattern/),
        expect.stringMatching(/^\/resilience\/retries: must be >= 0/),
        expect.stringMatching(/^\/resilience\/timeoutMs: must be integer/),
        expect.stringMatching(/^\/mappings\/thing\/fields\/when\/convert: must be equal to one of the allowed values/),
        expect.stringMatching(/^\/mappings\/thing\/fields\/extra: unknown property "colour"/),
      ]),
    );
  });

  it('refuses names that point nowhere: a resource, a code table, the ping resource', () => {
    const problems = problemsOf(
      writeProfile(`system: x
${minimalTransport.replace('pingResource: thing', 'pingResource: nothing')}
codeTables: { status: { a: A } }
mappings:
  thing:
    resource: things
    id: id
    fields:
      status: { from: s, code: state }
`),
    );
    expect(problems).toEqual([
      '/transport/pingResource: no resource "nothing"',
      '/mappings/thing/resource: no resource "things"',
      '/mappings/thing/fields/status: no code table "state"',
    ]);
  });

  it('lets a mapping read a reference table, and refuses one that is not declared', () => {
    const profile = (table: string) =>
      writeProfile(`system: x
${minimalTransport}  referenceTables: { region: /ref/regions }
mappings:
  region: { resource: ${table}, id: code, fields: { code: code } }
`);
    expect(loadProfile(profile('region')).transport.referenceTables).toEqual({ region: '/ref/regions' });
    expect(problemsOf(profile('regions'))).toEqual(['/mappings/region/resource: no resource "regions"']);
  });

  it('refuses a sqlTransport missing a mapped resource, or naming a column that is not an identifier', () => {
    const problems = problemsOf(
      writeProfile(`system: x
${minimalTransport}
sqlTransport:
  kind: sql
  urlEnv: X_DB_URL
  resources:
    other: { table: x_other, idColumn: id, updatedColumn: updated_at, fields: { id: "id; DROP TABLE x" } }
mappings:
  thing: { resource: thing, id: id, fields: { id: id } }
`),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^\/sqlTransport\/resources\/other\/fields\/id: must match pattern/),
    ]);
    const unmapped = problemsOf(
      writeProfile(`system: x
${minimalTransport}
sqlTransport:
  kind: sql
  urlEnv: X_DB_URL
  resources:
    other: { table: x_other, idColumn: id, updatedColumn: updated_at, fields: { id: id } }
mappings:
  thing: { resource: thing, id: id, fields: { id: id } }
`),
    );
    expect(unmapped).toEqual(['/mappings/thing/resource: no sqlTransport table for "thing"']);
  });

  it('reports a file that is not YAML', () => {
    expect(problemsOf(writeProfile('system: [unclosed'))[0]).toMatch(/flow sequence|unclosed|Missing/i);
  });
});
