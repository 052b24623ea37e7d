import { buildASTSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readSharingDeclarations } from '../../src/modules/access/sharing-declarations.ts';
import { loadTypeDefs } from '../../src/schema.ts';

const { declarations, missing } = readSharingDeclarations(buildASTSchema(parse(loadTypeDefs().join('\n'))));
const all = [...declarations.values()];

describe('the sharing declarations in the schema', () => {
  it('give every field of every object type a sharing class', () => {
    expect(missing).toEqual([]);
    expect(declarations.size).toBeGreaterThan(150);
  });

  it('name the owning agency and the condition of every conditional field', () => {
    const incomplete = all.filter((d) => d.sharingClass === 'CONDITIONAL' && (d.owner === null || !d.condition));
    expect(incomplete.map((d) => d.coordinate)).toEqual([]);
  });

  it('name the owning agency of every field that is not shared', () => {
    expect(all.filter((d) => d.sharingClass === 'NOT_SHARED' && d.owner === null).map((d) => d.coordinate)).toEqual([]);
  });

  it('never share personal information unconditionally', () => {
    expect(all.filter((d) => d.personal && d.sharingClass === 'UNCONDITIONAL').map((d) => d.coordinate)).toEqual([]);
  });

  it('keep informants inside the enforcement system', () => {
    for (const coordinate of ['Clue.informant', 'Informant.name', 'Informant.phone']) {
      expect(declarations.get(coordinate)).toMatchObject({
        sharingClass: 'NOT_SHARED',
        owner: 'enforcement',
        personal: true,
      });
    }
  });

  it('mark identity numbers and phone numbers of legal representatives as personal and conditional', () => {
    for (const coordinate of ['LegalRepresentative.idNumber', 'LegalRepresentative.phone']) {
      expect(declarations.get(coordinate)).toMatchObject({
        sharingClass: 'CONDITIONAL',
        owner: 'approval',
        personal: true,
      });
    }
  });
});
