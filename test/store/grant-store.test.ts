import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GrantInputError, GrantStore, grantedCoordinates } from '../../src/modules/access/grant-store.ts';
import type { GrantConsumer, GrantInput } from '../../src/modules/access/grant-store.ts';
import type { Store } from '../../src/platform/store/open-store.ts';
import { storeVariants } from '../support/stores.ts';

const ADMIN = 'admin-01';
const TEAM: GrantConsumer = { authorityCode: '330381001-ZFD', authorityKind: 'TOWNSHIP_ENFORCEMENT_TEAM' };
const OTHER_TEAM: GrantConsumer = { authorityCode: '330381102-ZFD', authorityKind: 'TOWNSHIP_ENFORCEMENT_TEAM' };
const ANALYSTS: GrantConsumer = { authorityCode: '330381-FXB', authorityKind: 'ANALYSIS_OFFICE' };

const MATTER = '瑞综执立〔2024〕28号';

/** A valid grant to TEAM's code for 2024; override what a test is about. */
function grantInput(overrides: Partial<GrantInput> = {}): GrantInput {
  return {
    ownerSystem: 'approval',
    consumerAuthorityCode: TEAM.authorityCode,
    fields: ['Subject.legalRepresentative', 'LegalRepresentative.idNumber'],
    purpose: '瑞综执立〔2024〕28号 case investigation',
    matters: [MATTER],
    validFrom: '2024-01-01T00:00:00+08:00',
    validUntil: '2025-01-01T00:00:00+08:00',
    ...overrides,
  };
}

const MID_2024 = new Date('2024-06-01T00:00:00+08:00');

async function problemsOf(promise: Promise<unknown>): Promise<readonly string[]> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GrantInputError);
  return error instanceof GrantInputError ? error.problems : [];
}

for (const variant of storeVariants()) {
  describe.runIf(variant.available)(`the grant store on ${variant.name}`, () => {
    let store: Store;
    let grants: GrantStore;

    beforeAll(async () => {
      store = await variant.open();
      grants = new GrantStore(store.prisma);
    });
    afterAll(() => variant.dispose());
    beforeEach(async () => {
      await store.prisma.grant.deleteMany();
    });

    it('creates a grant and lists it back as stored, with its creator', async () => {
      const created = await grants.create(grantInput(), ADMIN);
      expect(created).toMatchObject({
        ownerSystem: 'approval',
        consumerAuthorityCode: TEAM.authorityCode,
        consumerAuthorityKind: null,
        fields: ['Subject.legalRepresentative', 'LegalRepresentative.idNumber'],
        validFrom: '2024-01-01T00:00:00+08:00',
        validUntil: '2025-01-01T00:00:00+08:00',
        createdBy: ADMIN,
        revokedAt: null,
      });
      expect(await grants.list()).toEqual([created]);
    });

    it('lists by owner and consumer, and leaves out revoked grants when asked', async () => {
      const toTeam = await grants.create(grantInput(), ADMIN);
      const toKind = await grants.create(
        grantInput({ ownerSystem: 'credit', consumerAuthorityCode: null, consumerAuthorityKind: 'ANALYSIS_OFFICE' }),
        ADMIN,
      );
      await grants.revoke(toKind.id, ADMIN, 'agreement ended');
      expect((await grants.list({ ownerSystem: 'approval' })).map((g) => g.id)).toEqual([toTeam.id]);
      expect((await grants.list({ consumerAuthorityKind: 'ANALYSIS_OFFICE' })).map((g) => g.id)).toEqual([toKind.id]);
      expect((await grants.list({ includeRevoked: false })).map((g) => g.id)).toEqual([toTeam.id]);
      expect(await grants.list()).toHaveLength(2);
    });

    it('counts a grant in force from validFrom and no longer at validUntil', async () => {
      await grants.create(grantInput(), ADMIN);
      expect(await grants.activeGrants(TEAM, new Date('2023-12-31T23:59:59.999+08:00'))).toEqual([]);
      expect(await grants.activeGrants(TEAM, new Date('2024-01-01T00:00:00+08:00'))).toHaveLength(1);
      expect(await grants.activeGrants(TEAM, new Date('2024-12-31T23:59:59.999+08:00'))).toHaveLength(1);
      expect(await grants.activeGrants(TEAM, new Date('2025-01-01T00:00:00+08:00'))).toEqual([]);
    });

    it('applies a grant to a code only to that authority, and a grant to a kind to every authority of it', async () => {
      const byCode = await grants.create(grantInput({ fields: ['Subject.legalRepresentative'] }), ADMIN);
      const byKind = await grants.create(
        grantInput({
          consumerAuthorityCode: null,
          consumerAuthorityKind: 'TOWNSHIP_ENFORCEMENT_TEAM',
          fields: ['Case.informant'],
        }),
        ADMIN,
      );
      const ids = async (consumer: GrantConsumer) =>
        (await grants.activeGrants(consumer, MID_2024)).map((g) => g.id).sort();
      expect(await ids(TEAM)).toEqual([byCode.id, byKind.id].sort());
      expect(await ids(OTHER_TEAM)).toEqual([byKind.id]);
      expect(await ids(ANALYSTS)).toEqual([]);
      const officer = (consumer: GrantConsumer) => ({ ...consumer, roles: ['OFFICER'] as const });
      expect(await grants.grantedCoordinates(officer(TEAM), MATTER, MID_2024)).toEqual(
        new Map([
          ['Subject.legalRepresentative', byCode.id],
          ['Case.informant', byKind.id],
        ]),
      );
      expect(await grants.grantedCoordinates(officer(ANALYSTS), MATTER, MID_2024)).toEqual(new Map());
    });

    it('stops counting a revoked grant at once, even for an instant before the revocation', async () => {
      const grant = await grants.create(grantInput({ validUntil: '2999-01-01T00:00:00+08:00' }), ADMIN);
      expect(await grants.activeGrants(TEAM)).toHaveLength(1);
      const result = await grants.revoke(grant.id, 'admin-02', 'case closed');
      expect(result).toMatchObject({
        outcome: 'revoked',
        grant: { id: grant.id, revokedBy: 'admin-02', revokeReason: 'case closed' },
      });
      expect(await grants.activeGrants(TEAM)).toEqual([]);
      expect(await grants.activeGrants(TEAM, MID_2024)).toEqual([]);
    });

    it('keeps the first revocation when a grant is revoked twice', async () => {
      const grant = await grants.create(grantInput(), ADMIN);
      const first = await grants.revoke(grant.id, 'admin-02', 'case closed');
      const second = await grants.revoke(grant.id, 'admin-03', 'again');
      expect(second).toEqual({ outcome: 'already-revoked', grant: first.outcome === 'revoked' ? first.grant : null });
      expect(second).toMatchObject({ grant: { revokedBy: 'admin-02', revokeReason: 'case closed' } });
    });

    it('agrees on one revocation when two arrive at once', async () => {
      const grant = await grants.create(grantInput(), ADMIN);
      const results = await Promise.all([
        grants.revoke(grant.id, 'admin-02', 'a'),
        grants.revoke(grant.id, 'admin-03', 'b'),
      ]);
      expect(results.map((r) => r.outcome).sort()).toEqual(['already-revoked', 'revoked']);
    });

    it('answers an unknown or malformed id with not-found rather than an exception', async () => {
      const unknown = '4f7a2b7e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
      expect(await grants.revoke(unknown, ADMIN, 'x')).toEqual({ outcome: 'not-found', id: unknown });
      expect(await grants.revoke('not-a-uuid', ADMIN, 'x')).toEqual({ outcome: 'not-found', id: 'not-a-uuid' });
    });

    it('refuses bad input naming every problem, and stores nothing', async () => {
      const problems = await problemsOf(
        grants.create(
          grantInput({
            consumerAuthorityKind: 'ANALYSIS_OFFICE',
            fields: ['Subject.legalRepresentative', 'idNumber', 'subject.name'],
            purpose: '   ',
            validFrom: '2025-01-01T00:00:00+08:00',
            validUntil: '2024-01-01T00:00:00+08:00',
          }),
          ADMIN,
        ),
      );
      expect(problems).toEqual([
        'consumer: give an authority code or an authority kind, not both',
        'fields: "idNumber" is not a schema coordinate such as Subject.legalRepresentative',
        'fields: "subject.name" is not a schema coordinate such as Subject.legalRepresentative',
        'purpose: the purpose of the agreement is required',
        'validUntil: must be after validFrom',
      ]);
      expect(await grants.list()).toEqual([]);
    });

    it('refuses a grant with no consumer, no fields, an overlong purpose or a date without offset', async () => {
      const problems = await problemsOf(
        grants.create(
          grantInput({ consumerAuthorityCode: null, fields: [], purpose: '用'.repeat(501), validFrom: '2024-01-01' }),
          '',
        ),
      );
      expect(problems).toEqual([
        'consumer: an authority code or an authority kind is required',
        'fields: at least one field is required',
        'purpose: at most 500 characters (got 501)',
        'validFrom: "2024-01-01" is not an ISO-8601 instant',
        'createdBy: the administrator creating the grant must be named',
      ]);
    });

    it('refuses a grant bound to no matter, to a bad matter, to a prefix too short to mean anything, or to an unknown role', async () => {
      const problems = await problemsOf(grants.create(grantInput({ matters: [], matterPrefixes: [] }), ADMIN));
      expect(problems).toEqual([
        'matters: name the matters the grant covers, in matters or matterPrefixes (a grant for no matter would be one for any)',
      ]);
      const bad = await problemsOf(
        grants.create(
          grantInput({
            matters: ['   ', 'M-1\r\nX', 'x'.repeat(101)],
            matterPrefixes: ['瑞综'],
            roles: ['ROOT' as 'ADMIN'],
          }),
          ADMIN,
        ),
      );
      expect(bad).toEqual([
        'matters: "   " must name a matter: it is empty or only blanks',
        'matters: "M-1\\r\\nX" must not contain control characters (CR, LF, NUL, …), bidirectional marks or invisible characters (zero-width spaces, …)',
        `matters: "${'x'.repeat(101)}" must be at most 100 characters`,
        'matterPrefixes: "瑞综" is shorter than 4 characters and would cover nearly any matter',
        'roles: must be among ADMIN, AUDITOR, ANALYST, OFFICER, SYSTEM, not "ROOT"',
      ]);
      expect(await grants.list()).toEqual([]);
    });

    it('stores matters trimmed, prefixes and roles, and lists them back', async () => {
      const created = await grants.create(
        grantInput({ matters: [`  ${MATTER} `], matterPrefixes: ['瑞综执立〔2026〕'], roles: ['OFFICER'] }),
        ADMIN,
      );
      expect(created).toMatchObject({ matters: [MATTER], matterPrefixes: ['瑞综执立〔2026〕'], roles: ['OFFICER'] });
      expect(await grants.list()).toEqual([created]);
    });

    it('has the database refuse a grant bound to no matter even when written around the store', async () => {
      await expect(
        store.prisma.grant.create({
          data: {
            ownerSystem: 'approval',
            consumerAuthorityCode: TEAM.authorityCode,
            fields: ['Subject.name'],
            purpose: 'p',
            validFrom: new Date('2024-01-01T00:00:00Z'),
            validUntil: new Date('2025-01-01T00:00:00Z'),
            createdBy: ADMIN,
          },
        }),
      ).rejects.toThrow();
    });

    it('has the database refuse a grant naming two consumers even when written around the store', async () => {
      await expect(
        store.prisma.grant.create({
          data: {
            ownerSystem: 'approval',
            consumerAuthorityCode: TEAM.authorityCode,
            consumerAuthorityKind: 'TOWNSHIP_ENFORCEMENT_TEAM',
            fields: ['Subject.name'],
            purpose: 'p',
            validFrom: new Date('2024-01-01T00:00:00Z'),
            validUntil: new Date('2025-01-01T00:00:00Z'),
            createdBy: ADMIN,
          },
        }),
      ).rejects.toThrow();
    });
  });
}

describe('grantedCoordinates', () => {
  const grant = (
    id: string,
    fields: string[],
    scope: { matters?: string[]; matterPrefixes?: string[]; roles?: Array<'OFFICER' | 'ANALYST'> },
  ) => ({
    id,
    fields,
    matters: scope.matters ?? [],
    matterPrefixes: scope.matterPrefixes ?? [],
    roles: scope.roles ?? [],
  });

  it('is the union of the fields of every grant covering the purpose, each naming the lowest grant id', () => {
    const grants = [grant('b', ['A.b', 'C.d'], { matters: ['M-1'] }), grant('a', ['C.d', 'E.f'], { matters: ['M-1'] })];
    expect(grantedCoordinates(grants, 'M-1', ['OFFICER'])).toEqual(
      new Map([
        ['C.d', 'a'],
        ['E.f', 'a'],
        ['A.b', 'b'],
      ]),
    );
  });

  it('grants nothing under another purpose, however close', () => {
    const grants = [grant('a', ['A.b'], { matters: ['核查 瑞综执立〔2026〕777号'] })];
    expect(grantedCoordinates(grants, 'totally-unrelated-matter', ['OFFICER'])).toEqual(new Map());
    expect(grantedCoordinates(grants, '核查 瑞综执立〔2026〕7777号', ['OFFICER'])).toEqual(new Map());
    expect(grantedCoordinates(grants, '瑞综执立〔2026〕777号', ['OFFICER'])).toEqual(new Map());
    expect(grantedCoordinates(grants, '核查 瑞综执立〔2026〕777号', ['OFFICER'])).toEqual(new Map([['A.b', 'a']]));
  });

  it('covers every purpose that starts with an agreed prefix, and no other', () => {
    const grants = [grant('a', ['A.b'], { matterPrefixes: ['瑞综执立〔2026〕'] })];
    expect(grantedCoordinates(grants, '瑞综执立〔2026〕901号', ['OFFICER'])).toEqual(new Map([['A.b', 'a']]));
    expect(grantedCoordinates(grants, '瑞综执立〔2025〕901号', ['OFFICER'])).toEqual(new Map());
    expect(grantedCoordinates(grants, '核查 瑞综执立〔2026〕901号', ['OFFICER'])).toEqual(new Map());
  });

  it('covers only the roles a grant names, and every role when it names none', () => {
    const grants = [
      grant('a', ['A.b'], { matters: ['M-1'], roles: ['ANALYST'] }),
      grant('b', ['C.d'], { matters: ['M-1'] }),
    ];
    expect(grantedCoordinates(grants, 'M-1', ['OFFICER'])).toEqual(new Map([['C.d', 'b']]));
    expect(grantedCoordinates(grants, 'M-1', ['OFFICER', 'ANALYST'])).toEqual(
      new Map([
        ['A.b', 'a'],
        ['C.d', 'b'],
      ]),
    );
  });
});
