import type { Role } from '../../auth/principal.ts';
import { ROLES } from '../../auth/principal.ts';
import { formatChinaInstant } from '../../domain/china-time.ts';
import { describeMatterReferenceProblem, toMatterReference } from '../../domain/matter-reference.ts';
import type { AgencySystem, AuthorityKind, Instant } from '../../domain/types.ts';
import { AGENCY_SYSTEMS, AUTHORITY_KINDS, isAuthorityKind } from '../../domain/types.ts';
import type { Grant as GrantRow, Prisma, PrismaClient } from '../../generated/prisma/client.ts';

/**
 * A sharing agreement (共享协议): the owning agency lets a consumer — one authority, or every
 * authority of a kind — read named conditionally shared fields for the matters it names, from
 * `validFrom` (inclusive) until `validUntil` (exclusive). Exactly one consumer field is set.
 * A request reads under the grant only when its purpose is one of `matters` or starts with one
 * of `matterPrefixes`, and, when `roles` is not empty, its caller holds one of them.
 */
export interface Grant {
  id: string;
  ownerSystem: AgencySystem;
  consumerAuthorityCode: string | null;
  consumerAuthorityKind: AuthorityKind | null;
  /** Schema coordinates such as `LegalRepresentative.idNumber`. */
  fields: string[];
  /** The purpose of the agreement, in the owning agency's words (not matched against requests). */
  purpose: string;
  /** Matter references covered exactly, as callers state them in `x-purpose`. */
  matters: string[];
  /** Matter-reference prefixes agreed with the owner, e.g. a case-number series `瑞综执立〔2026〕`. */
  matterPrefixes: string[];
  /** Roles covered; empty: every role of the consumer. */
  roles: Role[];
  /** Made directly by an administrator, or by the owner's approval of a sharing request. */
  origin: GrantOrigin;
  validFrom: Instant;
  validUntil: Instant;
  createdBy: string;
  createdAt: Instant;
  revokedAt: Instant | null;
  revokedBy: string | null;
  revokeReason: string | null;
}

export type GrantOrigin = { kind: 'DIRECT' } | { kind: 'SHARING_REQUEST'; sharingRequestId: string };

/** What an administrator asks for; checked whole by `checkGrantInput` before anything is stored. */
export interface GrantInput {
  ownerSystem: AgencySystem;
  consumerAuthorityCode?: string | null;
  consumerAuthorityKind?: AuthorityKind | null;
  fields: readonly string[];
  purpose: string;
  /** At least one matter or one prefix is required: a grant for no matter would be a grant for any. */
  matters?: readonly string[] | null;
  matterPrefixes?: readonly string[] | null;
  roles?: readonly Role[] | null;
  /** ISO-8601 instants with their offset, as the DateTime scalar delivers them. */
  validFrom: Instant;
  validUntil: Instant;
}

/** The consumer a request acts for: grants to its code and grants to its kind both apply. */
export interface GrantConsumer {
  authorityCode: string;
  authorityKind: AuthorityKind;
}

/** The caller a request acts for, as far as grants are concerned: its consumer and its roles. */
export interface GrantCaller extends GrantConsumer {
  roles: readonly Role[];
}

export interface GrantFilter {
  ownerSystem?: AgencySystem;
  consumerAuthorityCode?: string;
  consumerAuthorityKind?: AuthorityKind;
  /** Only grants in force at this instant (not revoked, inside their validity period). */
  activeAt?: Date;
  /** Revoked grants are listed too unless this is false. */
  includeRevoked?: boolean;
}

export type RevokeResult =
  | { outcome: 'revoked'; grant: Grant }
  /** Revoked before: the first revocation (who, when, why) is kept as it was. */
  | { outcome: 'already-revoked'; grant: Grant }
  | { outcome: 'not-found'; id: string };

/** A grant input that cannot be stored; `problems` names every fault found, not just the first. */
export class GrantInputError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid grant: ${problems.join('; ')}`);
    this.name = 'GrantInputError';
  }
}

export const MAX_PURPOSE_LENGTH = 500;
/** A shorter prefix (say 瑞) would cover nearly every matter of a county: a grant for any purpose in disguise. */
export const MIN_MATTER_PREFIX_LENGTH = 4;

/** `Type.field`: a GraphQL type name, a dot, a field name; the permission layer's coordinates. */
const COORDINATE = /^[A-Z][A-Za-z0-9]*\.[a-z][A-Za-z0-9]*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Db = PrismaClient | Prisma.TransactionClient;

/** Sharing agreements in the store. Every change takes effect on the next request's lookup. */
export class GrantStore {
  readonly #db: Db;
  readonly #fieldProblems: (fields: readonly string[], ownerSystem: AgencySystem) => string[];

  /** `fieldProblems` judges the named fields against the schema's sharing declarations. */
  constructor(db: Db, fieldProblems: (fields: readonly string[], ownerSystem: AgencySystem) => string[] = () => []) {
    this.#db = db;
    this.#fieldProblems = fieldProblems;
  }

  /** Stores a new grant made by `by` (the administrator's subject); throws GrantInputError. */
  async create(input: GrantInput, by: string, origin: GrantOrigin = { kind: 'DIRECT' }): Promise<Grant> {
    const problems = this.problemsOf(input);
    if (by.trim() === '') problems.push('createdBy: the administrator creating the grant must be named');
    if (problems.length > 0) throw new GrantInputError(problems);
    const row = await this.#db.grant.create({
      data: {
        ownerSystem: input.ownerSystem,
        consumerAuthorityCode: input.consumerAuthorityCode?.trim() || null,
        consumerAuthorityKind: input.consumerAuthorityKind ?? null,
        fields: [...new Set(input.fields)],
        purpose: input.purpose.trim(),
        matters: [...new Set((input.matters ?? []).map((matter) => matter.trim()))],
        matterPrefixes: [...new Set((input.matterPrefixes ?? []).map((prefix) => prefix.trim()))],
        roles: [...new Set(input.roles ?? [])],
        origin: origin.kind,
        sharingRequestId: origin.kind === 'SHARING_REQUEST' ? origin.sharingRequestId : null,
        validFrom: new Date(input.validFrom),
        validUntil: new Date(input.validUntil),
        createdBy: by,
      },
    });
    return toGrant(row);
  }

  /** Forgets cached grants after a change made through `within(tx)`; nothing is cached here. */
  invalidate(): void {}

  /** The same store writing inside a transaction (no cache: the caller invalidates after commit). */
  within(tx: Prisma.TransactionClient): GrantStore {
    return new GrantStore(tx, this.#fieldProblems);
  }

  /** Every fault in a grant input, the schema's field rules included; empty when it may be stored. */
  problemsOf(input: GrantInput): string[] {
    const problems = checkGrantInput(input);
    if (Array.isArray(input.fields)) problems.push(...this.#fieldProblems(input.fields, input.ownerSystem));
    return problems;
  }

  /** One grant by id, revoked or not; null for an unknown id. */
  async find(id: string): Promise<Grant | null> {
    if (!UUID.test(id)) return null;
    const row = await this.#db.grant.findUnique({ where: { id } });
    return row && toGrant(row);
  }

  /** Newest first. */
  async list(filter: GrantFilter = {}): Promise<Grant[]> {
    const where: Prisma.GrantWhereInput[] = [];
    if (filter.ownerSystem !== undefined) where.push({ ownerSystem: filter.ownerSystem });
    if (filter.consumerAuthorityCode !== undefined) where.push({ consumerAuthorityCode: filter.consumerAuthorityCode });
    if (filter.consumerAuthorityKind !== undefined) where.push({ consumerAuthorityKind: filter.consumerAuthorityKind });
    if (filter.activeAt !== undefined) where.push(inForceAt(filter.activeAt));
    if (filter.includeRevoked === false) where.push({ revokedAt: null });
    const rows = await this.#db.grant.findMany({
      where: { AND: where },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    });
    return rows.map(toGrant);
  }

  /**
   * Revokes a grant at once and for good. Idempotent: a second revocation changes nothing and
   * reports the first. The conditional UPDATE makes two concurrent revocations agree on one.
   */
  async revoke(id: string, by: string, reason: string): Promise<RevokeResult> {
    if (!UUID.test(id)) return { outcome: 'not-found', id };
    const { count } = await this.#db.grant.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: new Date(), revokedBy: by, revokeReason: reason },
    });
    const row = await this.#db.grant.findUnique({ where: { id } });
    if (!row) return { outcome: 'not-found', id };
    return { outcome: count === 1 ? 'revoked' : 'already-revoked', grant: toGrant(row) };
  }

  /**
   * The grants for a consumer that are not revoked and have not ended by `at` (in force, or
   * starting later), for a cache that then decides validity by the clock; see CachedGrantStore.
   */
  async unendedGrants(consumer: GrantConsumer, at: Date = new Date()): Promise<Grant[]> {
    const rows = await this.#db.grant.findMany({
      where: {
        OR: [{ consumerAuthorityCode: consumer.authorityCode }, { consumerAuthorityKind: consumer.authorityKind }],
        revokedAt: null,
        validUntil: { gt: at },
      },
      orderBy: { id: 'asc' },
    });
    return rows.map(toGrant);
  }

  /**
   * The grants in force for a consumer at `at`: addressed to its code or to its kind, not
   * revoked, `validFrom <= at < validUntil`. On every request's path: one query, served by the
   * two consumer indexes. A revoked grant never counts, whatever `at`, so a revocation cannot be
   * outrun by a gateway whose clock lags the one that recorded it.
   */
  async activeGrants(consumer: GrantConsumer, at: Date = new Date()): Promise<Grant[]> {
    const rows = await this.#db.grant.findMany({
      where: {
        OR: [{ consumerAuthorityCode: consumer.authorityCode }, { consumerAuthorityKind: consumer.authorityKind }],
        ...inForceAt(at),
      },
      orderBy: { id: 'asc' },
    });
    return rows.map(toGrant);
  }

  /**
   * The coordinates a request may read under the grants in force, each with the grant it is read
   * under: only grants that cover the request's purpose and the caller's roles count. Built once
   * per request; without a purpose nothing is granted.
   */
  /**
   * `addressedByKind`: whether grants addressed to the caller's kind count. They are agreements
   * with the kind within the area the gateway serves (every township team, every approval
   * bureau of the county), so a caller of another county reads only those naming its own code.
   */
  async grantedCoordinates(
    caller: GrantCaller,
    purpose: string | null,
    at: Date = new Date(),
    { addressedByKind = true }: { addressedByKind?: boolean } = {},
  ): Promise<Map<string, string>> {
    if (purpose === null) return new Map();
    const grants = (await this.activeGrants(caller, at)).filter(
      (grant) => addressedByKind || grant.consumerAuthorityCode === caller.authorityCode,
    );
    return grantedCoordinates(grants, purpose, caller.roles);
  }
}

/** Whether a grant covers a purpose: one of its matters exactly, or one of its prefixes. */
export function coversPurpose(grant: Pick<Grant, 'matters' | 'matterPrefixes'>, purpose: string): boolean {
  return grant.matters.includes(purpose) || grant.matterPrefixes.some((prefix) => purpose.startsWith(prefix));
}

/** Whether a grant covers a caller's roles: it names none, or the caller holds one it names. */
export function coversRoles(grant: Pick<Grant, 'roles'>, roles: readonly Role[]): boolean {
  return grant.roles.length === 0 || grant.roles.some((role) => roles.includes(role));
}

/**
 * Coordinate → id of the grant it is read under, from the grants covering this purpose and these
 * roles. When several cover a coordinate, the lowest id is named, so the log is deterministic.
 */
export function grantedCoordinates(
  grants: readonly Pick<Grant, 'id' | 'fields' | 'matters' | 'matterPrefixes' | 'roles'>[],
  purpose: string,
  roles: readonly Role[],
): Map<string, string> {
  const granted = new Map<string, string>();
  const covering = grants.filter((grant) => coversPurpose(grant, purpose) && coversRoles(grant, roles));
  for (const grant of [...covering].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    for (const field of grant.fields) if (!granted.has(field)) granted.set(field, grant.id);
  }
  return granted;
}

/** Every fault in a grant input, as sentences naming the field; empty when it may be stored. */
export function checkGrantInput(input: GrantInput): string[] {
  const problems: string[] = [];
  if (!(AGENCY_SYSTEMS as readonly string[]).includes(input.ownerSystem)) {
    problems.push(`ownerSystem: must be one of ${AGENCY_SYSTEMS.join(', ')}, not ${JSON.stringify(input.ownerSystem)}`);
  }
  const code = input.consumerAuthorityCode?.trim() ?? '';
  const kind = input.consumerAuthorityKind ?? null;
  if (code !== '' && kind !== null) {
    problems.push('consumer: give an authority code or an authority kind, not both');
  } else if (code === '' && kind === null) {
    problems.push('consumer: an authority code or an authority kind is required');
  }
  if (kind !== null && !isAuthorityKind(kind)) {
    problems.push(`consumerAuthorityKind: must be one of ${AUTHORITY_KINDS.join(', ')}, not ${JSON.stringify(kind)}`);
  }
  if (input.fields.length === 0) problems.push('fields: at least one field is required');
  for (const field of input.fields) {
    if (!COORDINATE.test(field))
      problems.push(`fields: ${JSON.stringify(field)} is not a schema coordinate such as Subject.legalRepresentative`);
  }
  const purpose = input.purpose.trim();
  if (purpose === '') problems.push('purpose: the purpose of the agreement is required');
  if (purpose.length > MAX_PURPOSE_LENGTH) {
    problems.push(`purpose: at most ${MAX_PURPOSE_LENGTH} characters (got ${purpose.length})`);
  }
  problems.push(...scopeProblems(input));
  const from = parseInstant(input.validFrom);
  const until = parseInstant(input.validUntil);
  if (from === null) problems.push(`validFrom: ${JSON.stringify(input.validFrom)} is not an ISO-8601 instant`);
  if (until === null) problems.push(`validUntil: ${JSON.stringify(input.validUntil)} is not an ISO-8601 instant`);
  if (from !== null && until !== null && until <= from) problems.push('validUntil: must be after validFrom');
  return problems;
}

/** The matters, prefixes and roles a grant is bound to. */
function scopeProblems(input: GrantInput): string[] {
  const problems: string[] = [];
  const matters = input.matters ?? [];
  const prefixes = input.matterPrefixes ?? [];
  if (matters.length === 0 && prefixes.length === 0) {
    problems.push(
      'matters: name the matters the grant covers, in matters or matterPrefixes (a grant for no matter would be one for any)',
    );
  }
  for (const [name, texts] of [
    ['matters', matters],
    ['matterPrefixes', prefixes],
  ] as const) {
    for (const text of texts) {
      const reference = toMatterReference(text);
      if (!reference.ok)
        problems.push(`${name}: ${JSON.stringify(text)} ${describeMatterReferenceProblem(reference.problem)}`);
      else if (name === 'matterPrefixes' && [...reference.value].length < MIN_MATTER_PREFIX_LENGTH) {
        problems.push(
          `matterPrefixes: ${JSON.stringify(text)} is shorter than ${MIN_MATTER_PREFIX_LENGTH} characters and would cover nearly any matter`,
        );
      }
    }
  }
  for (const role of input.roles ?? []) {
    if (!(ROLES as readonly string[]).includes(role))
      problems.push(`roles: must be among ${ROLES.join(', ')}, not ${JSON.stringify(role)}`);
  }
  return problems;
}

function inForceAt(at: Date): Prisma.GrantWhereInput {
  return { revokedAt: null, validFrom: { lte: at }, validUntil: { gt: at } };
}

/** Milliseconds since the epoch, or null for text that is not a full instant with an offset. */
function parseInstant(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/** The migration's CHECK holds owner_system to the four systems; kinds are checked on the way in. */
function toGrant(row: GrantRow): Grant {
  const instant = (date: Date) => formatChinaInstant(date.getTime());
  return {
    id: row.id,
    ownerSystem: row.ownerSystem as AgencySystem,
    consumerAuthorityCode: row.consumerAuthorityCode,
    consumerAuthorityKind: row.consumerAuthorityKind as AuthorityKind | null,
    fields: row.fields,
    purpose: row.purpose,
    matters: row.matters,
    matterPrefixes: row.matterPrefixes,
    roles: row.roles as Role[],
    origin:
      row.origin === 'SHARING_REQUEST' && row.sharingRequestId
        ? { kind: 'SHARING_REQUEST', sharingRequestId: row.sharingRequestId }
        : { kind: 'DIRECT' },
    validFrom: instant(row.validFrom),
    validUntil: instant(row.validUntil),
    createdBy: row.createdBy,
    createdAt: instant(row.createdAt),
    revokedAt: row.revokedAt && instant(row.revokedAt),
    revokedBy: row.revokedBy,
    revokeReason: row.revokeReason,
  };
}
