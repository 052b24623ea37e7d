import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { buildASTSchema, isEnumType, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.ts';
import { mayReceive } from '../../src/modules/events/loop-event-receivers.ts';
import { LOOP_EVENT_KINDS } from '../../src/modules/events/loop-event-kinds.ts';
import { DROPPED_RECORD_REVEALS } from '../../src/modules/access/dropped-record-reveals.ts';
import { DerivedOutputs } from '../../src/modules/access/derived-outputs.ts';
import { RequestPermissions } from '../../src/modules/access/request-permissions.ts';
import { ServedArea } from '../../src/modules/access/served-area.ts';
import { DERIVED_KIND_ENUMS, readRevealDeclarations } from '../../src/modules/access/reveal-declarations.ts';
import { readSharingDeclarations } from '../../src/modules/access/sharing-declarations.ts';
import { isUngated } from '../../src/modules/access/permission-layer.ts';
import { ReadableTypes, revealsNamingNothingOf } from '../../src/modules/access/readable-types.ts';
import { readRoleRequirements } from '../../src/modules/access/role-requirements.ts';
import { loadTypeDefs } from '../../src/schema.ts';
import { loadShippedProfile } from '../../src/connectors/profiles/load-profile.ts';

const schema = buildASTSchema(parse(loadTypeDefs().join('\n')));
const { reveals, missing } = readRevealDeclarations(schema);
const { declarations } = readSharingDeclarations(schema);

describe('the reveal declarations of derived outputs', () => {
  it('exist for every timeline event kind, loop-break kind, evidence record kind, webhook event kind and assessment figure', () => {
    expect(missing).toEqual([]);
    for (const name of DERIVED_KIND_ENUMS) {
      const type = schema.getType(name);
      if (!isEnumType(type)) throw new Error(`${name} is not an enum`);
      for (const value of type.getValues())
        expect(reveals.has(`${name}.${value.name}`), `${name}.${value.name}`).toBe(true);
    }
    expect(reveals.get('TimelineEventKind.PENALTY_EXECUTED')).toContain('Penalty.executedAt');
    expect(reveals.get('LoopGapKind.CLUE_UNANSWERED')).toContain('Subject.clues');
  });

  it('name only source fields the schema declares a sharing class for', () => {
    const unknown = [...reveals.entries(), ...Object.entries(DROPPED_RECORD_REVEALS)].flatMap(([output, sources]) =>
      sources.filter((source) => !declarations.has(source)).map((source) => `${output} → ${source}`),
    );
    expect(unknown).toEqual([]);
  });

  it('name a field of what a guarded list returns whenever they name the list, so a derived output never says whether records the caller may read nothing of exist', () => {
    const roles = readRoleRequirements(schema);
    const readable = new ReadableTypes(schema, (c) => isUngated(c, declarations, roles, reveals), roles, reveals);
    const lists = [...reveals.entries(), ...Object.entries(DROPPED_RECORD_REVEALS)];
    expect(revealsNamingNothingOf(readable, lists)).toEqual([]);
    expect(revealsNamingNothingOf(readable, [['LoopGapKind.TEST', ['Inspection.id', 'Inspection.clues']]])).toEqual([
      'LoopGapKind.TEST reveals Inspection.clues but no field of Clue',
    ]);
  });

  it('cover every webhook event kind the producers can publish', () => {
    expect(LOOP_EVENT_KINDS.filter((kind) => !reveals.has(`LoopEventKind.${kind}`))).toEqual([]);
  });

  it('cover every resource a connector can drop a record of', () => {
    const named: string[] = [];
    for (const system of ['approval', 'supervision', 'enforcement', 'credit']) {
      const folder = new URL(`../../src/connectors/${system}/`, import.meta.url);
      for (const file of readdirSync(folder).filter((f) => f.startsWith('http-'))) {
        const source = readFileSync(new URL(file, folder), 'utf8');
        for (const match of source.matchAll(/\b(?:resource|name): '([a-z]+)'/g)) named.push(`${system}.${match[1]}`);
      }
      // A system on a profile drops records of the resources its mappings read.
      if (existsSync(new URL(`../../profiles/${system}.yaml`, import.meta.url)))
        for (const mapping of Object.values(loadShippedProfile(system).mappings))
          named.push(`${system}.${mapping.resource}`);
    }
    expect(named.length).toBeGreaterThan(8);
    expect([...new Set(named)].filter((resource) => !(resource in DROPPED_RECORD_REVEALS))).toEqual([]);
  });
});

const analyst: Principal = {
  subject: 'a',
  issuer: 'test',
  kind: 'PERSON',
  authorityCode: '330381-SJFX',
  authorityKind: 'ANALYSIS_OFFICE',
  jurisdictionCode: '330381',
  roles: ['ANALYST'],
  purpose: null,
};

describe('deciding a derived output', () => {
  it('refuses an output one of whose sources is refused, names the rule and source, and logs the denial', () => {
    const permissions = new RequestPermissions(
      { principal: analyst, purpose: null, grantedFields: new Map(), reachesServedArea: true },
      declarations,
    );
    const outputs = new DerivedOutputs(reveals, permissions);
    const decision = outputs.decide('TimelineEventKind.PENALTY_EXECUTED');
    expect(decision === true ? null : decision.extensions).toMatchObject({
      code: 'FORBIDDEN',
      rule: 'purpose-required',
      field: 'Penalty.executedAt',
      derived: 'TimelineEventKind.PENALTY_EXECUTED',
    });
    expect([...permissions.denied]).toEqual(['Penalty.executedAt']);
    expect([...permissions.returnedConditional]).toEqual([]);
  });

  it('shows an output whose sources are all granted and logs each conditional source as read', () => {
    const standing = {
      principal: analyst,
      purpose: '瑞综执立〔2026〕101号',
      grantedFields: new Map(
        ['Subject.clues', 'Clue.id', 'Clue.receiver', 'Clue.receivedAt'].map((field) => [field, 'grant-1']),
      ),
      reachesServedArea: true,
    };
    const permissions = new RequestPermissions(standing, declarations);
    expect(new DerivedOutputs(reveals, permissions).show('TimelineEventKind.CLUE_RECEIVED')).toBe(true);
    expect([...permissions.returnedConditional].sort()).toEqual([
      'Clue.id',
      'Clue.receivedAt',
      'Clue.receiver',
      'Subject.clues',
    ]);
  });

  it('never shows an output without a declaration', () => {
    const permissions = new RequestPermissions(
      {
        principal: { ...analyst, authorityKind: 'COUNTY_ENFORCEMENT_BUREAU' },
        purpose: null,
        grantedFields: new Map(),
        reachesServedArea: true,
      },
      declarations,
    );
    const outputs = new DerivedOutputs(reveals, permissions);
    expect(outputs.show('TimelineEventKind.SOMETHING_NEW')).toBe(false);
    expect(outputs.wouldShow('TimelineEventKind.SOMETHING_NEW')).toBe(false);
  });

  it('decides nothing before a record is shown when asked only whether it would be', () => {
    const permissions = new RequestPermissions(
      { principal: analyst, purpose: null, grantedFields: new Map(), reachesServedArea: true },
      declarations,
    );
    expect(new DerivedOutputs(reveals, permissions).wouldShow('LoopGapKind.CLUE_UNANSWERED')).toBe(false);
    expect([...permissions.denied]).toEqual([]);
  });
});

describe('webhook receivers', () => {
  const rules = { declarations, reveals };
  const ruian = new ServedArea(['330381001', '330381002']);
  const creditCentre = {
    code: '330381-XYZX',
    name: '信用中心',
    kind: 'CREDIT_CENTRE' as const,
    jurisdictionCode: '330381',
  };
  const team = {
    code: '330381001-ZFD',
    name: '执法队',
    kind: 'TOWNSHIP_ENFORCEMENT_TEAM' as const,
    jurisdictionCode: '330381001',
  };

  it('get an event only if they could read every source field its kind reveals', () => {
    expect(mayReceive({ kind: 'PENALTY_DECIDED' }, creditCentre, ruian, rules)).toBe(true);
    // A kind that revealed an execution date would reach the enforcement team, never the credit centre.
    const stricter = {
      declarations,
      reveals: new Map([...reveals, ['LoopEventKind.PENALTY_DECIDED', ['Penalty.executedAt']]]),
    };
    expect(mayReceive({ kind: 'PENALTY_DECIDED' }, creditCentre, ruian, stricter)).toBe(false);
    expect(mayReceive({ kind: 'PENALTY_DECIDED' }, team, ruian, stricter)).toBe(true);
    // The same kind of team in another county owns nothing here.
    const elsewhere = { ...team, code: '330382001-ZFD', jurisdictionCode: '330382001' };
    expect(mayReceive({ kind: 'PENALTY_DECIDED' }, elsewhere, ruian, stricter)).toBe(false);
  });

  it('get no event of a kind without a declaration', () => {
    const undeclared = {
      declarations,
      reveals: new Map([...reveals].filter(([output]) => output !== 'LoopEventKind.VIOLATION_FOUND')),
    };
    expect(mayReceive({ kind: 'VIOLATION_FOUND' }, team, ruian, undeclared)).toBe(false);
  });
});
