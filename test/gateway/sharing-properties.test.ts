import fc from 'fast-check';
import { buildASTSchema, isInterfaceType, isObjectType, parse, valueFromASTUntyped, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRESETS, type DemoPreset } from '../../src/auth/demo-presets.ts';
import type { AuthorityKind } from '../../src/domain/types.ts';
import { loadTypeDefs } from '../../src/schema.ts';
import type { World } from '../../simulators/world/model.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { planQuery, type PlannedField, type PlannedQuery, type RootChoice } from '../support/random-queries.ts';

/*
 * Random queries over the whole schema, for random preset callers with and without a purpose:
 * no value the caller may not see may appear anywhere in the response text, and every field the
 * sharing rules deny comes back as a FORBIDDEN error, never as an internal error.
 *
 * The oracle is written from the rules of the issue, not from src/permissions: it reads the
 * `@share` directives of the SDL itself and computes the forbidden values from the simulated
 * world. No grants exist in this gateway's store.
 */

const MATTER = '瑞综执立〔2026〕101号';
const TOWNSHIP = '330381001';
const NUM_RUNS = 150;

let gw: TestGateway;
let schema: GraphQLSchema;
let oracle: Oracle;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
  schema = buildASTSchema(parse(loadTypeDefs().join('\n')));
  oracle = new Oracle(gw.world, readShareDirectives(schema));
}, 60_000);
afterAll(() => gw?.close());

// ---------------------------------------------------------------------------------------------
// The oracle: what a caller may see, from the issue's rules and the world.

type SharingClass = 'UNCONDITIONAL' | 'CONDITIONAL' | 'NOT_SHARED';
type System = 'APPROVAL' | 'SUPERVISION' | 'ENFORCEMENT' | 'CREDIT';
interface Share {
  sharingClass: SharingClass;
  owner: System | null;
  personal: boolean;
}

/** Which authority kinds run each agency system (the issue: "the owning agency's own callers"). */
const OWN_CALLERS: Record<System, readonly AuthorityKind[]> = {
  APPROVAL: ['APPROVAL_BUREAU'],
  SUPERVISION: ['INDUSTRY_DEPARTMENT'],
  ENFORCEMENT: ['TOWNSHIP_ENFORCEMENT_TEAM', 'COUNTY_ENFORCEMENT_BUREAU'],
  CREDIT: ['CREDIT_CENTRE'],
};
const ENFORCEMENT_KINDS = OWN_CALLERS.ENFORCEMENT;

/** Every field's `@share` directive, read straight from the SDL. */
function readShareDirectives(sdl: GraphQLSchema): Map<string, Share> {
  const shares = new Map<string, Share>();
  for (const type of Object.values(sdl.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      const directive = field.astNode?.directives?.find((d) => d.name.value === 'share');
      if (!directive) continue;
      const argument = (name: string): unknown => {
        const node = directive.arguments?.find((a) => a.name.value === name);
        return node ? valueFromASTUntyped(node.value) : undefined;
      };
      shares.set(`${type.name}.${field.name}`, {
        sharingClass: argument('class') as SharingClass,
        owner: (argument('owner') as System | undefined) ?? null,
        personal: argument('personal') === true,
      });
    }
  }
  return shares;
}

interface Caller {
  preset: DemoPreset;
  purpose: string | null;
}

function describeCaller({ preset, purpose }: Caller): string {
  return `${preset.name}${purpose ? ` for ${purpose}` : ' without a purpose'}`;
}

class Oracle {
  readonly #publicText: string;
  readonly #hidden = new Map<string, HiddenValues>();

  constructor(
    private readonly world: World,
    private readonly shares: ReadonlyMap<string, Share>,
  ) {
    this.#publicText = publicText(world);
  }

  /** Whether the field is shared other than unconditionally. */
  guarded(coordinate: string): boolean {
    return this.shares.get(coordinate)?.sharingClass !== 'UNCONDITIONAL';
  }

  /** Whether the rules deny the field to the caller (masking is not a denial). */
  denies(coordinate: string, { preset, purpose }: Caller): boolean {
    const share = this.shares.get(coordinate);
    if (!share) return true;
    if (share.sharingClass === 'UNCONDITIONAL') return false;
    if (share.owner && OWN_CALLERS[share.owner].includes(preset.authorityKind)) return false;
    if (share.sharingClass === 'NOT_SHARED') return true;
    if (!purpose) return true;
    return !share.personal; // no grants here: a personal field is masked, any other is denied
  }

  /**
   * The values in `text` the caller must never receive: informants (enforcement only, within
   * its jurisdiction), legal representatives' identity numbers and phones in clear (the
   * approval bureau only), inspection findings (supervision's own callers only: the industry-inspector
   * preset), and a township team's view stops at its township (case numbers, clue and inspection
   * ids). A value that also occurs in data the caller may see cannot be told apart, so it does
   * not count.
   */
  leakedIn(text: string, caller: Caller): string[] {
    return this.#hiddenFor(caller).foundIn(text);
  }

  /** How many values the caller must never receive. */
  hiddenCount(caller: Caller): number {
    return this.#hiddenFor(caller).size;
  }

  hides(value: string, caller: Caller): boolean {
    return this.#hiddenFor(caller).has(value);
  }

  #hiddenFor(caller: Caller): HiddenValues {
    const key = describeCaller(caller);
    let values = this.#hidden.get(key);
    if (!values) {
      values = this.#computeHidden(caller);
      this.#hidden.set(key, values);
    }
    return values;
  }

  #computeHidden({ preset }: Caller): HiddenValues {
    const world = this.world;
    const hidden = new Set<string>();
    const visible: string[] = [];
    const sort = (values: ReadonlyArray<string | null>, shown: boolean) => {
      for (const value of values) if (value) (shown ? visible.push(value) : hidden.add(value));
    };
    const inJurisdiction = (townshipCode: string) =>
      preset.jurisdictionCode.length === 9 ? townshipCode === preset.jurisdictionCode : townshipCode.startsWith(preset.jurisdictionCode);
    const enforcement = ENFORCEMENT_KINDS.includes(preset.authorityKind);

    for (const clue of world.clues) sort([clue.informantName, clue.informantPhone, clue.id], enforcement && inJurisdiction(clue.townshipCode));
    const approval = preset.authorityKind === 'APPROVAL_BUREAU';
    for (const enterprise of world.enterprises) sort([enterprise.legalRepIdNumber, enterprise.legalRepPhone], approval);
    for (const inspection of world.inspections) {
      sort([inspection.findings], preset.authorityKind === 'INDUSTRY_DEPARTMENT');
      sort([inspection.id], inJurisdiction(inspection.townshipCode));
    }
    for (const c of world.cases) sort([c.caseNo], inJurisdiction(c.townshipCode));
    for (const value of visible) hidden.delete(value);
    return new HiddenValues(hidden, `${this.#publicText}\n${visible.join('\n')}`);
  }
}

/**
 * A set of values to look for in response texts, indexed by their first characters so a text is
 * scanned once rather than once per value. Whether a value found also occurs in what the caller
 * may see is checked only when it is found.
 */
class HiddenValues {
  readonly #byPrefix = new Map<string, string[]>();
  readonly #prefixLengths = new Set<number>();
  readonly #ambiguous = new Map<string, boolean>();

  constructor(
    private readonly values: ReadonlySet<string>,
    private readonly seenText: string,
  ) {
    for (const value of values) {
      const prefix = value.slice(0, 4);
      this.#prefixLengths.add(prefix.length);
      this.#byPrefix.set(prefix, [...(this.#byPrefix.get(prefix) ?? []), value]);
    }
  }

  get size(): number {
    return this.values.size;
  }

  has(value: string): boolean {
    return this.values.has(value);
  }

  foundIn(text: string): string[] {
    const found = new Set<string>();
    for (let i = 0; i < text.length; i++) {
      for (const length of this.#prefixLengths) {
        for (const value of this.#byPrefix.get(text.slice(i, i + length)) ?? []) {
          if (text.startsWith(value, i)) found.add(value);
        }
      }
    }
    return [...found].filter((value) => !this.#seenElsewhere(value));
  }

  #seenElsewhere(value: string): boolean {
    let seen = this.#ambiguous.get(value);
    if (seen === undefined) {
      seen = this.seenText.includes(value);
      this.#ambiguous.set(value, seen);
    }
    return seen;
  }
}

/** Every string of the world a caller may see, with the guarded values left out. */
function publicText(world: World): string {
  const strip = <T extends object>(rows: readonly T[], keys: ReadonlyArray<keyof T>) =>
    rows.map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => !keys.includes(k as keyof T))));
  return JSON.stringify({
    jurisdictions: world.jurisdictions,
    authorities: world.authorities,
    powerItems: world.powerItems,
    enterprises: strip(world.enterprises, ['legalRepIdNumber', 'legalRepPhone']),
    permits: world.permits,
    inspections: strip(world.inspections, ['id', 'findings']),
    clues: world.clues.map((c) => ({ subjectUscc: c.subjectUscc })),
    cases: strip(world.cases, ['caseNo', 'clueId']),
    penalties: strip(world.penalties, ['caseNo']),
    creditProfiles: world.creditProfiles,
    creditRecords: world.creditRecords,
  });
}

// ---------------------------------------------------------------------------------------------
// Arbitraries: callers, starting points drawn from the world, and queries.

const callerArbitrary: fc.Arbitrary<Caller> = fc.record({
  preset: fc.constantFrom(...DEMO_PRESETS),
  purpose: fc.option(fc.constant(MATTER), { nil: null }),
});

/** Starting points that reach guarded data: informants, findings, legal representatives, cases in many townships. */
function rootPools(world: World) {
  const complaintClues = world.clues.filter((c) => c.informantName !== null);
  const spread = <T extends { townshipCode: string }>(rows: readonly T[], perTownship: number) => {
    const byTownship = new Map<string, T[]>();
    for (const row of rows) {
      const list = byTownship.get(row.townshipCode) ?? [];
      if (list.length < perTownship) byTownship.set(row.townshipCode, [...list, row]);
    }
    return [...byTownship.values()].flat();
  };
  const cluesPicked = [...spread(complaintClues, 3), ...spread(world.clues.filter((c) => c.inspectionId !== null), 1)];
  const casesPicked = spread(world.cases, 3);
  const inspectionsPicked = [
    ...spread(world.inspections.filter((i) => i.findings.length > 0), 2),
    ...spread(world.inspections.filter((i) => i.subjectCodeKind === 'LEGACY_REG_NO'), 1),
  ];
  const subjects = new Set([
    ...cluesPicked.map((c) => c.subjectUscc),
    ...casesPicked.map((c) => c.subjectUscc),
    ...world.enterprises.slice(0, 10).map((e) => e.uscc),
  ]);
  const penalties = world.penalties.filter((p) => casesPicked.some((c) => c.caseNo === p.caseNo));
  return {
    subject: [...subjects].filter((uscc) => world.enterprises.some((e) => e.uscc === uscc)),
    clue: cluesPicked.map((c) => c.id),
    inspection: inspectionsPicked.map((i) => i.id),
    case: casesPicked.map((c) => c.caseNo),
    penalty: penalties.map((p) => p.decisionNo),
  };
}

function rootArbitrary(world: World): fc.Arbitrary<RootChoice> {
  const pools = rootPools(world);
  const root = (field: string, argument: string, argumentType: string, values: readonly string[]) =>
    fc.constantFrom(...values).map((value): RootChoice => ({ field, argument, argumentType, value }));
  return fc.oneof(
    root('subject', 'uscc', 'USCC!', pools.subject),
    root('clue', 'id', 'ID!', pools.clue),
    root('inspection', 'id', 'ID!', pools.inspection),
    root('case', 'caseNo', 'ID!', pools.case),
    root('penalty', 'decisionNo', 'ID!', pools.penalty),
  );
}

function queryArbitrary(): fc.Arbitrary<PlannedQuery> {
  return fc
    .record({
      roots: fc.array(rootArbitrary(gw.world), { minLength: 1, maxLength: 2 }),
      choices: fc.array(fc.nat(1000), { maxLength: 240, size: 'max' }),
    })
    .map(({ roots, choices }) =>
      planQuery(schema, roots, choices, { maxDepth: 5, maxAliases: 15, maxFieldsPerSelection: 5, prefer: leadsToGuardedData }),
    );
}

/** Fields that are guarded themselves or lead to records that carry guarded values. */
function leadsToGuardedData(coordinate: string): boolean {
  const field = coordinate.split('.')[1]!;
  return (
    oracle.guarded(coordinate) ||
    ['legalRepresentative', 'clues', 'clue', 'cases', 'case', 'inspections', 'inspection', 'penalties', 'timeline', 'events', 'record'].includes(field)
  );
}

/** Coordinates the property has asked for, to show it walked the paths that matter. */
const requested = new Set<string>();
function noteRequested(fields: readonly PlannedField[]): void {
  for (const field of fields) {
    requested.add(field.coordinate);
    noteRequested(field.children);
  }
}

// ---------------------------------------------------------------------------------------------
// Checking one response.

interface ResponseError {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
}
interface ResponseBody {
  data?: Record<string, unknown> | null;
  errors?: ResponseError[];
}

async function send(query: PlannedQuery, caller: Caller): Promise<{ status: number; text: string; body: ResponseBody }> {
  const headers = await gw.as(caller.preset.name, caller.purpose ?? undefined);
  const response = await fetch(`${gw.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: query.text, variables: query.variables }),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as ResponseBody };
}

/** The planned fields an error path can name (several when fragments repeat a response key). */
function fieldsAtPath(roots: readonly PlannedField[], path: ReadonlyArray<string | number>): PlannedField[] {
  let level: PlannedField[] = [...roots];
  let found: PlannedField[] = [];
  for (const key of path) {
    if (typeof key === 'number') continue;
    found = level.filter((f) => f.responseKey === key);
    level = found.flatMap((f) => f.children);
  }
  return found;
}

/** Fields the rules deny that came back with a value, or whose parent came back although the denial must null it. */
function deniedButPresent(fields: readonly PlannedField[], value: unknown, caller: Caller, path: string): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => deniedButPresent(fields, item, caller, `${path}[${i}]`));
  if (typeof value !== 'object') return [];
  const object = value as Record<string, unknown>;
  return fields.flatMap((field) => {
    if (field.onlyOnType && object.__typename !== field.onlyOnType) return [];
    const here = `${path}.${field.responseKey}`;
    if (oracle.denies(field.coordinate, caller)) {
      // A denied non-null field nulls its parent, so a parent that is there means it was allowed.
      return field.nonNull || object[field.responseKey] !== null ? [`${here} (${field.coordinate})`] : [];
    }
    return deniedButPresent(field.children, object[field.responseKey], caller, here);
  });
}

const refusedByLimits = { count: 0 };

async function checkNoLeak(caller: Caller, query: PlannedQuery): Promise<void> {
  const context = () => `caller: ${describeCaller(caller)}\nquery: ${query.text}\nvariables: ${JSON.stringify(query.variables)}`;
  noteRequested(query.roots);
  const { status, text, body } = await send(query, caller);

  // Nothing the caller may not see, anywhere in the text: data, errors, extensions.
  const leaked = oracle.leakedIn(text, caller);
  expect(leaked, `leaked ${JSON.stringify(leaked)}\n${context()}\nresponse: ${text}`).toEqual([]);

  if (status === 400 && body.errors?.every((e) => e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED')) {
    refusedByLimits.count += 1;
    return;
  }
  expect(status, `${context()}\nresponse: ${text}`).toBe(200);

  for (const error of body.errors ?? []) {
    expect(error.extensions?.code, `an error that is not a refusal\n${context()}\nerror: ${JSON.stringify(error)}`).toBe('FORBIDDEN');
    const fields = fieldsAtPath(query.roots, error.path ?? []);
    expect(
      fields.some((f) => oracle.denies(f.coordinate, caller)),
      `FORBIDDEN on a field the rules allow\n${context()}\nerror: ${JSON.stringify(error)}`,
    ).toBe(true);
  }

  const present = deniedButPresent(query.roots, body.data ?? null, caller, '');
  expect(present, `denied fields answered without a FORBIDDEN null\n${context()}\nresponse: ${text}`).toEqual([]);
}

// ---------------------------------------------------------------------------------------------

describe('sharing rules under random queries', () => {
  it('never answers a caller with a value it may not see, and refuses denied fields with FORBIDDEN only', async () => {
    const seed = Number(process.env.PROPERTY_SEED ?? Date.now() % 2 ** 31);
    await fc.assert(
      fc.asyncProperty(callerArbitrary, queryArbitrary(), (caller, query) => checkNoLeak(caller, query)),
      {
        numRuns: NUM_RUNS,
        seed, // fast-check names the seed and path of a failure; PROPERTY_SEED=<seed> replays it
      },
    );
    // Most queries must reach the rules; queries refused by the query limits prove nothing.
    expect(refusedByLimits.count).toBeLessThan(NUM_RUNS / 5);
    expect([...requested]).toEqual(
      expect.arrayContaining(['Informant.name', 'Informant.phone', 'LegalRepresentative.idNumber', 'LegalRepresentative.phone', 'Inspection.findings', 'Case.caseNo', 'Penalty.case']),
    );
  }, 120_000);

  it('knows forbidden values for every caller, so the property above can fail', () => {
    const findings = gw.world.inspections.find((i) => i.findings.length > 0)!.findings;
    const idNumber = gw.world.enterprises.find((e) => e.legalRepIdNumber)!.legalRepIdNumber;
    for (const preset of DEMO_PRESETS) {
      const caller = { preset, purpose: MATTER };
      // Industry departments run the supervision system and read its findings; identity numbers stay hidden from them.
      const hidden = preset.authorityKind === 'INDUSTRY_DEPARTMENT' ? idNumber : findings;
      expect(oracle.hiddenCount(caller), preset.name).toBeGreaterThan(1000);
      expect(oracle.hides(hidden, caller), preset.name).toBe(true);
      expect(oracle.leakedIn(`{"value":"${hidden}"}`, caller), preset.name).toEqual([hidden]);
    }
    const township = { preset: DEMO_PRESETS.find((p) => p.name === 'township-officer')!, purpose: null };
    const elsewhere = gw.world.cases.find((c) => c.townshipCode !== TOWNSHIP)!;
    expect(oracle.leakedIn(`{"caseNo":"${elsewhere.caseNo}"}`, township)).toEqual([elsewhere.caseNo]);
  });
});
