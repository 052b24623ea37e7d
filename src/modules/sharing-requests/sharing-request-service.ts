import { GraphQLError } from 'graphql';
import type { Principal, Role } from '../../auth/principal.ts';
import { chinaToday } from '../../domain/china-time.ts';
import { looksBlank } from '../../domain/invisible-characters.ts';
import type { AgencySystem, Authority } from '../../domain/types.ts';
import { endedPeriodProblem } from '../../domain/validity-period.ts';
import type { UncoveredListener, WorkingDayCalendar } from '../../domain/working-days.ts';
import { BadUserInputError, NotFoundError } from '../../platform/errors.ts';
import { pageSize } from '../../platform/page-size.ts';
import type { EventPublisher, LoopEvent } from '../events/index.ts';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { assertGrantConfined, isOwnedBy, jurisdictionPrefix } from '../access/index.ts';
import type { GrantInput, GrantStore, ServedAreaSource } from '../access/index.ts';
import { DEFAULT_ANSWER_WORKING_DAYS, sharingAnswerDueOn } from './answer-deadline.ts';
import type { SharingRequestRecord, SharingRequestStatus } from './sharing-request-record.ts';
import { SharingRequestStore } from './sharing-request-store.ts';

export interface SharingRequestInput {
  ownerSystem: AgencySystem;
  ownerAuthorityCode: string;
  fields: readonly string[];
  purpose: string;
  matters?: readonly string[] | null;
  matterPrefixes?: readonly string[] | null;
  roles?: readonly Role[] | null;
  legalBasis: string;
  validFrom: string;
  validUntil: string;
}

export type SharingDecision = 'APPROVE' | 'APPROVE_IN_PART' | 'REJECT';

export interface SharingAnswerInput {
  id: string;
  decision: SharingDecision;
  fields?: readonly string[] | null;
  reason?: string | null;
}

export interface SharingRequestDependencies {
  prisma: PrismaClient;
  /** The gateway's grant store: approval creates the grant through it, in the answer's transaction. */
  grants: GrantStore;
  calendar: WorkingDayCalendar;
  publisher?: EventPublisher;
  /**
   * The authorities a request may be addressed to (the reference data); without it the owning
   * authority named is not checked, so a request may wait for an answer nobody can give.
   */
  authorities?: () => Promise<ReadonlyMap<string, Authority>>;
  /**
   * Where the gateway serves, as requests ask it: an authority of the owning kind reads the
   * system's data as its owner, and needs no request, only where its jurisdiction reaches it.
   * Without it every authority of the owning kind is taken to.
   */
  servedArea?: ServedAreaSource;
  /**
   * The record types answered only within the reader's jurisdiction (`RowPlaces.confined`): the
   * only ones whose fields an owner not covering the served area (a township team) may grant.
   * Without them such an owner grants none.
   */
  confinedTypes?: readonly string[];
  /** Working days the owner has to answer; DEFAULT_ANSWER_WORKING_DAYS unless configured. */
  answerWorkingDays?: number;
  now?: () => Date;
}

const MAX_LEGAL_BASIS_LENGTH = 500;
/** Authority codes are short (330381001-ZFD); anything far longer is no code. */
const MAX_AUTHORITY_CODE_LENGTH = 64;
const MAX_REASON_LENGTH = 1000;
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * The sharing-request flow (共享申请): a consumer's officer applies, the owning authority's
 * administrator answers, approval creates the purpose-bound grant in the same transaction as the
 * answer and both steps publish an event to both sides. The history is never rewritten.
 */
export class SharingRequestService {
  readonly #store: SharingRequestStore;
  readonly #answerWorkingDays: number;
  readonly #now: () => Date;

  constructor(private readonly deps: SharingRequestDependencies) {
    this.#store = new SharingRequestStore(deps.prisma);
    this.#answerWorkingDays = deps.answerWorkingDays ?? DEFAULT_ANSWER_WORKING_DAYS;
    this.#now = deps.now ?? (() => new Date());
  }

  /** `onUncovered` is told when the answer's due day was counted beyond the holiday calendar (the request's warnings). */
  async submit(
    caller: Principal,
    input: SharingRequestInput,
    onUncovered?: UncoveredListener,
  ): Promise<SharingRequestRecord> {
    const ownerAuthorityCode = input.ownerAuthorityCode.trim();
    const problems = this.deps.grants.problemsOf(this.#grantInput(caller.authorityCode, input, input.fields));
    problems.push(
      ...textProblems(
        'legalBasis',
        input.legalBasis,
        MAX_LEGAL_BASIS_LENGTH,
        'the law and article, or the duty, the data is needed for',
      ),
    );
    problems.push(...(await this.#ownerProblems(ownerAuthorityCode, input.ownerSystem, caller)));
    const ended = endedPeriodProblem(input.validUntil, this.#now());
    if (ended !== null) problems.push(ended);
    if (ownerAuthorityCode === caller.authorityCode)
      problems.push('ownerAuthorityCode: an authority does not apply to itself');
    if (isOwnedBy(input.ownerSystem, caller.authorityKind) && (await this.#coversServedArea(caller))) {
      problems.push(
        `ownerSystem: ${caller.authorityCode} already reads the ${input.ownerSystem} system's data as its owner; no request is needed`,
      );
    }
    if (problems.length > 0)
      throw new BadUserInputError(`Invalid sharing request: ${problems.join('; ')}.`, { problems });

    const submittedAt = this.#now();
    return this.deps.prisma.$transaction(async (tx) => {
      const request = await new SharingRequestStore(tx).create({
        consumerAuthorityCode: caller.authorityCode,
        consumerAuthorityKind: caller.authorityKind,
        ownerSystem: input.ownerSystem,
        ownerAuthorityCode,
        fields: [...new Set(input.fields)],
        purpose: input.purpose.trim(),
        matters: [...new Set((input.matters ?? []).map((matter) => matter.trim()))],
        matterPrefixes: [...new Set((input.matterPrefixes ?? []).map((prefix) => prefix.trim()))],
        roles: [...new Set(input.roles ?? [])],
        legalBasis: input.legalBasis.trim(),
        validFrom: new Date(input.validFrom),
        validUntil: new Date(input.validUntil),
        submittedBy: actorOf(caller),
        answerDueOn: sharingAnswerDueOn(
          onUncovered ? this.deps.calendar.reportingTo(onUncovered) : this.deps.calendar,
          submittedAt,
          this.#answerWorkingDays,
        ),
      });
      await this.deps.publisher?.publish([event('SHARING_REQUEST_SUBMITTED', request, submittedAt)], tx);
      return request;
    });
  }

  async answer(caller: Principal, input: SharingAnswerInput): Promise<SharingRequestRecord> {
    const request = await this.#store.find(input.id);
    if (!request || !this.#mayRead(caller, request))
      throw new NotFoundError(`No sharing request ${input.id} is known to ${caller.authorityCode}.`);
    if (request.ownerAuthorityCode !== caller.authorityCode || !isOwnedBy(request.ownerSystem, caller.authorityKind)) {
      throw new GraphQLError(
        `Only an administrator of ${request.ownerAuthorityCode}, which owns the ${request.ownerSystem} data, answers this request.`,
        {
          extensions: { code: 'FORBIDDEN', rule: 'not-the-owner' },
        },
      );
    }
    if (request.status !== 'PENDING') throw alreadyAnswered(request);
    const { status, grantedFields, reason } = decide(request, input);
    if (grantedFields.length > 0) {
      await this.#assertConsumerWithin(caller, request);
      if (!(await this.#coversServedArea(caller)))
        assertGrantConfined(caller, grantedFields, this.deps.confinedTypes ?? []);
    }

    const at = this.#now();
    const actor = actorOf(caller);
    await this.deps.prisma.$transaction(async (tx) => {
      const store = new SharingRequestStore(tx);
      // The answer claims the request before anything else is written: its conditional UPDATE
      // holds the row, so a concurrent answer waits for this one, then finds it answered and
      // writes nothing (no second grant, no unique-index error surfacing as an internal one).
      const answered = await store.answer(
        request.id,
        { status, answeredBy: actor, authorityCode: caller.authorityCode, grantedFields, reason },
        at,
      );
      if (!answered) throw alreadyAnswered(request);
      if (grantedFields.length > 0) {
        const grant = await this.deps.grants
          .within(tx)
          .create(this.#grantInput(request.consumerAuthorityCode, request, grantedFields), actor, {
            kind: 'SHARING_REQUEST',
            sharingRequestId: request.id,
          });
        await store.linkGrant(request.id, grant.id);
      }
      const updated = (await store.find(request.id))!;
      await this.deps.publisher?.publish([event('SHARING_REQUEST_ANSWERED', updated, at)], tx);
    });
    // The grant takes effect at once in this gateway: its cache forgets what it held.
    this.deps.grants.invalidate();
    return (await this.#store.find(request.id))!;
  }

  /** The request, for its consumer, its owner and auditors; null for anyone else, as for an unknown id. */
  async get(caller: Principal, id: string): Promise<SharingRequestRecord | null> {
    const request = await this.#store.find(id);
    return request && this.#mayRead(caller, request) ? request : null;
  }

  async list(
    caller: Principal,
    filter: { status?: SharingRequestStatus | null; overdueOnly?: boolean | null },
    first: number | null | undefined,
  ): Promise<SharingRequestRecord[]> {
    return this.#store.list({
      parties: isAuditor(caller) ? undefined : [caller.authorityCode],
      status: filter.status ?? undefined,
      dueBefore: filter.overdueOnly ? this.today() : undefined,
      first: pageSize('sharingRequests', first),
    });
  }

  /** Overdue requests per owning authority: every owner for auditors, the caller's own otherwise. */
  overdueCounts(caller: Principal): Promise<Array<{ ownerAuthorityCode: string; overdue: number }>> {
    return this.#store.overdueCounts(this.today(), isAuditor(caller) ? undefined : [caller.authorityCode]);
  }

  /** Today's date in China, by the service's clock. */
  today(): string {
    return chinaToday(this.#now());
  }

  /**
   * Whether the caller, of the owning kind, reads the system's data as its owner on every row here:
   * an approval bureau of another county does not, and applies like every other consumer (refused, in
   * practice, by the owner's jurisdiction); a township team reads as owner only its township's
   * rows, so it asks for the rest, and as an owner grants only what stays within its township.
   * Asked after the authorities, which load the area too.
   */
  async #coversServedArea(caller: Principal): Promise<boolean> {
    if (!this.deps.servedArea) return true;
    return (await this.deps.servedArea())?.covers(caller.jurisdictionCode) ?? false;
  }

  /**
   * The authority asked must exist and own the system: only its administrators may answer
   * (`answer`), so a request to any other would wait, and fall overdue, with nobody able to answer.
   */
  async #ownerProblems(code: string, ownerSystem: AgencySystem, consumer: Principal): Promise<string[]> {
    if (code === '') return ['ownerAuthorityCode: the owning authority asked to answer is required'];
    if ([...code].length > MAX_AUTHORITY_CODE_LENGTH)
      return [`ownerAuthorityCode: at most ${MAX_AUTHORITY_CODE_LENGTH} characters`];
    if (!this.deps.authorities) return [];
    const owner = (await this.deps.authorities()).get(code);
    if (!owner) return [`ownerAuthorityCode: no authority ${code} is known`];
    if (!isOwnedBy(ownerSystem, owner.kind)) {
      return [
        `ownerAuthorityCode: ${code} (${owner.name}) does not own the ${ownerSystem} system's data, so it cannot answer; address the authority that does`,
      ];
    }
    // A grant has no place of its own: the consumer reads under it across its whole jurisdiction,
    // so an owner answers only for consumers within its own (a township team not for the county).
    if (!consumer.jurisdictionCode.startsWith(jurisdictionPrefix(owner.jurisdictionCode))) {
      return [
        `ownerAuthorityCode: ${code}'s jurisdiction (${owner.jurisdictionCode}) does not cover the consumer's (${consumer.jurisdictionCode}), so a grant it gave would open records beyond it; address an owner whose jurisdiction does`,
      ];
    }
    return [];
  }

  /**
   * Checked again when a grant is given, not only when the request came in: a request stored
   * before submit checked it (or addressed to an owner whose jurisdiction changed since) would
   * still open records beyond the owner's jurisdiction to the consumer.
   */
  async #assertConsumerWithin(caller: Principal, request: SharingRequestRecord): Promise<void> {
    if (!this.deps.authorities) return;
    const consumer = (await this.deps.authorities()).get(request.consumerAuthorityCode);
    if (consumer?.jurisdictionCode.startsWith(jurisdictionPrefix(caller.jurisdictionCode))) return;
    throw new GraphQLError(
      `Not allowed: ${caller.authorityCode}'s jurisdiction (${caller.jurisdictionCode}) does not cover ${request.consumerAuthorityCode}'s, so a grant it gave would open records beyond it; reject the request.`,
      { extensions: { code: 'FORBIDDEN', rule: 'beyond-jurisdiction' } },
    );
  }

  #mayRead(caller: Principal, request: SharingRequestRecord): boolean {
    return (
      isAuditor(caller) ||
      caller.authorityCode === request.consumerAuthorityCode ||
      caller.authorityCode === request.ownerAuthorityCode
    );
  }

  #grantInput(
    consumerAuthorityCode: string,
    input: Omit<SharingRequestInput, 'ownerAuthorityCode' | 'legalBasis'>,
    fields: readonly string[],
  ): GrantInput {
    return {
      ownerSystem: input.ownerSystem,
      consumerAuthorityCode,
      fields,
      purpose: input.purpose,
      matters: input.matters,
      matterPrefixes: input.matterPrefixes,
      roles: input.roles,
      validFrom: input.validFrom,
      validUntil: input.validUntil,
    };
  }
}

/** The answer's status, the fields it grants and its reason; BadUserInputError when they do not fit. */
function decide(
  request: SharingRequestRecord,
  input: SharingAnswerInput,
): { status: Exclude<SharingRequestStatus, 'PENDING'>; grantedFields: string[]; reason: string | null } {
  // A reason a reader would see nothing in states none.
  const given = input.reason?.trim() ?? '';
  const reason = looksBlank(given) ? null : given;
  const problems = reason === null ? [] : textProblems('reason', reason, MAX_REASON_LENGTH, 'why');
  const fields = input.fields ? [...new Set(input.fields)] : null;
  let answer: ReturnType<typeof decide>;
  switch (input.decision) {
    case 'APPROVE':
      if (
        fields &&
        (fields.length !== request.fields.length || fields.some((field) => !request.fields.includes(field)))
      ) {
        problems.push('fields: APPROVE grants every field asked for; use APPROVE_IN_PART to grant some');
      }
      answer = { status: 'APPROVED', grantedFields: request.fields, reason };
      break;
    case 'APPROVE_IN_PART': {
      if (reason === null) problems.push('reason: approving in part needs a reason for the fields refused');
      if (!fields || fields.length === 0) problems.push('fields: name the fields granted');
      const unknown = (fields ?? []).filter((field) => !request.fields.includes(field));
      if (unknown.length > 0)
        problems.push(`fields: ${unknown.join(', ')} ${unknown.length === 1 ? 'was' : 'were'} not asked for`);
      if (fields && fields.length >= request.fields.length && unknown.length === 0)
        problems.push('fields: every field asked for is named; use APPROVE');
      answer = { status: 'PARTIALLY_APPROVED', grantedFields: fields ?? [], reason };
      break;
    }
    case 'REJECT':
      // 国发〔2016〕51号 and the regulation alike: a refusal states its reasons.
      if (reason === null) problems.push('reason: a rejection must state its reason');
      if (fields && fields.length > 0) problems.push('fields: a rejection grants no fields');
      answer = { status: 'REJECTED', grantedFields: [], reason };
      break;
  }
  if (problems.length > 0) throw new BadUserInputError(`Invalid answer: ${problems.join('; ')}.`, { problems });
  return answer;
}

function textProblems(name: string, text: string, max: number, what: string): string[] {
  const value = text.trim();
  if (looksBlank(value)) return [`${name}: required (${what})`];
  const problems: string[] = [];
  if ([...value].length > max) problems.push(`${name}: at most ${max} characters`);
  if (CONTROL.test(value)) problems.push(`${name}: must not contain control characters`);
  return problems;
}

function alreadyAnswered(request: SharingRequestRecord): GraphQLError {
  return new GraphQLError(`Sharing request ${request.id} has been answered already.`, {
    extensions: { code: 'CONFLICT', reason: 'already_answered' },
  });
}

function actorOf(caller: Principal): string {
  return `${caller.subject}@${caller.authorityCode}`;
}

function isAuditor(caller: Principal): boolean {
  return caller.roles.includes('AUDITOR');
}

/** One event to both sides; the request id stands in for a subject so its events arrive in order. */
function event(
  kind: 'SHARING_REQUEST_SUBMITTED' | 'SHARING_REQUEST_ANSWERED',
  request: SharingRequestRecord,
  at: Date,
): LoopEvent {
  return {
    kind,
    subjectUscc: `sharing-request:${request.id}`,
    concerns: [request.ownerAuthorityCode, request.consumerAuthorityCode],
    occurredAt: at,
    dedupeKey: `${kind}:${request.id}`,
    payload: {
      sharingRequestId: request.id,
      status: request.status,
      consumerAuthorityCode: request.consumerAuthorityCode,
      ownerAuthorityCode: request.ownerAuthorityCode,
      ownerSystem: request.ownerSystem,
      fields: request.fields,
      grantedFields: request.grantedFields,
      answerDueOn: request.answerDueOn,
      reason: request.answerReason,
      grantId: request.grantId,
    },
  };
}
