import type { Principal } from '../../auth/principal.ts';
import { chinaToday } from '../../domain/china-time.ts';
import { looksBlank } from '../../domain/invisible-characters.ts';
import { MAX_MATTER_REFERENCE_LENGTH } from '../../domain/matter-reference.ts';
import type { LocalDate } from '../../domain/types.ts';
import type { UncoveredListener, WorkingDayCalendar } from '../../domain/working-days.ts';
import type { ConnectorWarningSink } from '../../connectors/index.ts';
import type { UpstreamErrorCode } from '../../platform/errors.ts';
import type { EventPublisher, LoopEvent } from '../events/index.ts';
import type { ReferenceData } from '../subjects/index.ts';
import type { TransferListFilter, TransferStore } from './transfer-store.ts';
import { checkIdempotencyKey, requestFingerprint } from './idempotency.ts';
import { checkInspection, type InspectionLookup } from './inspection-check.ts';
import { routeTransfer } from './receiver-routing.ts';
import type { SubjectLocator } from './subject-locator.ts';
import { answerDueOn } from './transfer-deadline.ts';
import {
  IdempotencyConflictError,
  IllegalTransitionError,
  NotTransferPartyError,
  TransferNotFoundError,
  TransferRefusedError,
} from './transfer-errors.ts';
import type { StepKind, TransferRecord, TransferStepRecord, TransferWithHistory } from './transfer-record.ts';
import {
  allowedSteps,
  isAnswer,
  isAwaitingAnswer,
  isLegalStep,
  missingDetails,
  type ReportedStep,
  type TransferStatus,
} from './transfer-states.ts';

export interface NewTransfer {
  subjectUscc: string;
  powerItemCode: string;
  findings: string;
  evidenceRefs: readonly string[];
  inspectionId: string | null;
  receiverCode: string | null;
}

export interface StepReport {
  transferId: string;
  step: ReportedStep;
  reason: string | null;
  caseNo: string | null;
  decisionNo: string | null;
  note: string | null;
}

/** What a mutation returns: the transfer as it now stands, and whether this was a retry of an earlier request. */
export interface TransferOutcome {
  transfer: TransferWithHistory;
  /** The step this request recorded (SENT for a new transfer). */
  step: TransferStepRecord;
  replayed: boolean;
}

export interface TransferServiceDependencies {
  store: TransferStore;
  reference: () => Promise<ReferenceData>;
  subjects: SubjectLocator;
  calendar: WorkingDayCalendar;
  /** Checks the inspection a clue names, when it names one. */
  inspections?: InspectionLookup;
  /** Told of every reported step, in the step's own transaction (精准推送 to the sender). */
  publisher?: EventPublisher;
  /** Called after a transfer is stored, so its delivery to the enforcement system starts at once. */
  onSent?: () => void;
  /** Queues dead-lettered deliveries again; returns the transfer ids revived. */
  replayDeliveries?: (transferIds: readonly string[]) => Promise<string[]>;
  now?: () => Date;
  /** The subject and inspection lookups reporting a request's dropped records and failed sources to it. */
  upstreamReportingTo?: (sink: ConnectorWarningSink) => Pick<TransferServiceDependencies, 'subjects' | 'inspections'>;
  /** Told when a clue's inspection could not be checked (the supervision system away), so the answer says so. */
  inspectionNotChecked?: (inspectionId: string, failure: { code: UpstreamErrorCode }) => void;
}

/**
 * What one request is told of: days beyond the holiday calendar, records or sources its lookups
 * lost, and an inspection it could not check.
 */
export interface TransferRequestWarnings extends ConnectorWarningSink {
  calendarNotCovered: UncoveredListener;
  inspectionNotChecked: (inspectionId: string, failure: { code: UpstreamErrorCode }) => void;
}

const MAX_TEXT = 4000;
/**
 * A case or decision number is a document number (瑞综执立〔2026〕777号) that readers later state as
 * the matter of their purpose (`x-purpose`), so it is held to a matter reference's length.
 */
const MAX_DOCUMENT_NUMBER = MAX_MATTER_REFERENCE_LENGTH;
const MAX_EVIDENCE_REFS = 50;

/**
 * Clue transfer with feedback (线索移送与反馈): sending, the receiver's steps, the one-time
 * extension, and reading by the parties. Every change is idempotent under the caller's key.
 */
export class TransferService {
  private readonly now: () => Date;

  constructor(private readonly deps: TransferServiceDependencies) {
    this.now = deps.now ?? (() => new Date());
  }

  get calendar(): WorkingDayCalendar {
    return this.deps.calendar;
  }

  /**
   * This service telling one request's warnings of the days beyond the holiday calendar its
   * deadlines needed, and of what its subject and inspection lookups could not read.
   */
  reportingTo(warnings: TransferRequestWarnings): TransferService {
    return new TransferService({
      ...this.deps,
      ...this.deps.upstreamReportingTo?.(warnings),
      calendar: this.deps.calendar.reportingTo(warnings.calendarNotCovered),
      inspectionNotChecked: warnings.inspectionNotChecked,
    });
  }

  /** The power list and authorities transfers are routed with (the last copy read while the enforcement system is down). */
  referenceData(): Promise<ReferenceData> {
    return this.deps.reference();
  }

  today(): LocalDate {
    return chinaToday(this.now());
  }

  async send(actor: Principal, input: NewTransfer, key: string): Promise<TransferOutcome> {
    checkIdempotencyKey(key);
    const request = {
      subjectUscc: input.subjectUscc,
      powerItemCode: input.powerItemCode,
      findings: input.findings,
      evidenceRefs: [...input.evidenceRefs],
      inspectionId: input.inspectionId,
      receiverCode: input.receiverCode,
    };
    // A retry is answered from the key alone: nothing upstream is asked again.
    const earlier = await this.replay(actor, key, 'transferClue', request);
    if (earlier) return this.sent(earlier);
    // Checked and routed before the transaction, so no upstream call holds the store.
    checkText('findings', input.findings, true);
    checkEvidence(input.evidenceRefs);
    const townshipCode = await this.deps.subjects.townshipOf(input.subjectUscc);
    if (townshipCode === undefined) {
      throw new TransferRefusedError(
        'UNKNOWN_SUBJECT',
        `No market subject ${input.subjectUscc} is registered with the approval platform.`,
        { subjectUscc: input.subjectUscc },
      );
    }
    if (townshipCode === null) {
      throw new TransferRefusedError(
        'SUBJECT_WITHOUT_TOWNSHIP',
        `Subject ${input.subjectUscc} has no township on record, so no power list applies; name a receiver.`,
        { subjectUscc: input.subjectUscc },
      );
    }
    let inspectionUnchecked: UpstreamErrorCode | null = null;
    if (input.inspectionId !== null && this.deps.inspections) {
      checkText('inspectionId', input.inspectionId, true);
      const unchecked = await checkInspection(this.deps.inspections, input.inspectionId, input.subjectUscc, actor);
      inspectionUnchecked = unchecked?.code ?? null;
    }
    const at = this.now();
    const today = chinaToday(at);
    const routing = routeTransfer(await this.deps.reference(), {
      powerItemCode: input.powerItemCode,
      townshipCode,
      senderCode: actor.authorityCode,
      receiverCode: input.receiverCode,
      on: today,
    });
    const outcome = await this.idempotent(actor, key, 'transferClue', request, null, async (store) => {
      const transfer = await store.create(
        {
          subjectUscc: input.subjectUscc,
          townshipCode,
          powerItemCode: input.powerItemCode,
          findings: input.findings.trim(),
          evidenceRefs: input.evidenceRefs.map((ref) => ref.trim()),
          inspectionId: input.inspectionId,
          inspectionUnchecked,
          senderCode: actor.authorityCode,
          receiverCode: routing.receiverCode,
          routedBy: routing.routedBy,
          status: 'SENT',
          // The gateway hands the clue over the moment it is sent: the receiver can read it at once,
          // so the answer deadline runs from today whether or not the receiver acknowledges it.
          receivedOn: today,
          answerDueOn: answerDueOn(this.deps.calendar, today, false),
          extended: false,
          answeredOn: null,
          caseNo: null,
          decisionNo: null,
        },
        step(actor, 'SENT', null, 'SENT', at, {}),
      );
      return { transferId: transfer.id, stepSeq: 1 };
    });
    if (!outcome.replayed) this.deps.onSent?.();
    return this.sent(outcome);
  }

  /**
   * The answer to a transferClue, first or replayed, with the warning of the transfer as it was
   * stored: a replay answers as the first answer did, and a request that lost a race for its key
   * answers as the request that stored the transfer, whatever its own inspection check found.
   */
  private sent(outcome: TransferOutcome): TransferOutcome {
    const { inspectionId, inspectionUnchecked } = outcome.transfer;
    if (inspectionId !== null && inspectionUnchecked !== null)
      this.deps.inspectionNotChecked?.(inspectionId, { code: inspectionUnchecked });
    return outcome;
  }

  /**
   * An administrator's replay of dead-lettered deliveries (the cause fixed, e.g. the receiver's data
   * corrected). With `partyCode`, only transfers that authority sent or received are replayed; any
   * other is reported like an unknown id, as every answer about a transfer beyond its parties is.
   */
  async replayDeliveries(
    transferIds: readonly string[],
    partyCode?: string,
  ): Promise<{ replayed: string[]; notDeadLettered: string[] }> {
    const wellFormed = transferIds.filter(isUuid);
    const replayable = partyCode === undefined ? wellFormed : await this.deps.store.partyTo(wellFormed, partyCode);
    const replayed = replayable.length === 0 ? [] : ((await this.deps.replayDeliveries?.(replayable)) ?? []);
    const revived = new Set(replayed);
    return { replayed, notDeadLettered: transferIds.filter((id) => !revived.has(id.toLowerCase())) };
  }

  async report(actor: Principal, input: StepReport, key: string): Promise<TransferOutcome> {
    checkIdempotencyKey(key);
    const request = {
      transferId: input.transferId,
      step: input.step,
      reason: input.reason,
      caseNo: input.caseNo,
      decisionNo: input.decisionNo,
      note: input.note,
    };
    const earlier = await this.replay(actor, key, 'reportTransferStep', request);
    if (earlier) return earlier;
    return this.idempotent(actor, key, 'reportTransferStep', request, input.transferId, async (store, transfer) => {
      assertReceiver(actor, transfer);
      if (!isLegalStep(transfer.status, input.step))
        throw new IllegalTransitionError(transfer.status, input.step, allowedSteps(transfer.status));
      // What this step must say (a return's reason, a filed case's number), when given, must not be blank either;
      // when absent it is MISSING_DETAILS below.
      const needed: readonly string[] = missingDetails(input.step, { reason: null, caseNo: null, decisionNo: null });
      for (const [field, value, max] of [
        ['reason', input.reason, MAX_TEXT],
        ['caseNo', input.caseNo, MAX_DOCUMENT_NUMBER],
        ['decisionNo', input.decisionNo, MAX_DOCUMENT_NUMBER],
        ['note', input.note, MAX_TEXT],
      ] as const) {
        checkText(field, value, value != null && needed.includes(field), max);
      }
      const missing = missingDetails(input.step, input);
      if (missing.length > 0) {
        throw new TransferRefusedError('MISSING_DETAILS', `A ${input.step} step must say ${missing.join(' and ')}.`, {
          missing,
        });
      }
      const at = this.now();
      const seq = (await store.lastStepSeq(transfer.id)) + 1;
      const recorded = { ...step(actor, input.step, transfer.status, input.step, at, input), seq };
      await store.appendStep(transfer.id, recorded, {
        status: input.step,
        ...(isAnswer(input.step) ? { answeredOn: chinaToday(at) } : {}),
        ...(input.caseNo ? { caseNo: input.caseNo } : {}),
        ...(input.decisionNo ? { decisionNo: input.decisionNo } : {}),
      });
      await this.publish(store, transfer, recorded);
      return { transferId: transfer.id, stepSeq: seq };
    });
  }

  /** The one extension of the answer deadline, by 5 working days, asked for before it passes. */
  async extend(actor: Principal, transferId: string, reason: string, key: string): Promise<TransferOutcome> {
    checkIdempotencyKey(key);
    const earlier = await this.replay(actor, key, 'extendTransferDeadline', { transferId, reason });
    if (earlier) return earlier;
    return this.idempotent(
      actor,
      key,
      'extendTransferDeadline',
      { transferId, reason },
      transferId,
      async (store, transfer) => {
        assertReceiver(actor, transfer);
        checkText('reason', reason, true);
        if (!isAwaitingAnswer(transfer.status))
          throw new IllegalTransitionError(transfer.status, 'EXTENDED', allowedSteps(transfer.status));
        if (transfer.extended) {
          throw new TransferRefusedError(
            'EXTENSION_ALREADY_GRANTED',
            `The answer deadline of transfer ${transfer.id} was extended once already (to ${transfer.answerDueOn}); it can be extended only once.`,
          );
        }
        const at = this.now();
        if (chinaToday(at) > transfer.answerDueOn) {
          throw new TransferRefusedError(
            'EXTENSION_TOO_LATE',
            `The answer deadline of transfer ${transfer.id} passed on ${transfer.answerDueOn}; an extension must be asked for before it passes.`,
          );
        }
        const seq = (await store.lastStepSeq(transfer.id)) + 1;
        const recorded = { ...step(actor, 'EXTENDED', transfer.status, transfer.status, at, { reason }), seq };
        await store.appendStep(transfer.id, recorded, {
          extended: true,
          answerDueOn: answerDueOn(this.deps.calendar, transfer.receivedOn, true),
        });
        await this.publish(store, transfer, recorded);
        return { transferId: transfer.id, stepSeq: seq };
      },
    );
  }

  /** A transfer with its history, for its sender, its receiver and auditors only. */
  async get(reader: Principal, id: string): Promise<TransferWithHistory> {
    const transfer = visibleTo(reader, isUuid(id) ? await this.deps.store.find(id) : null);
    if (!transfer) throw new TransferNotFoundError(id);
    return transfer;
  }

  /** Transfers an authority sent or received; auditors may name any authority. */
  async list(
    reader: Principal,
    filter: Omit<TransferListFilter, 'authorityCode'> & { authorityCode?: string; overdueOnly?: boolean },
  ): Promise<TransferWithHistory[]> {
    const authorityCode = filter.authorityCode ?? reader.authorityCode;
    if (authorityCode !== reader.authorityCode && !reader.roles.includes('AUDITOR')) {
      throw new NotTransferPartyError(`only auditors may list another authority's transfers`, 'not-a-party');
    }
    const { overdueOnly, ...rest } = filter;
    return this.deps.store.list({
      ...rest,
      authorityCode,
      ...(overdueOnly ? { unansweredDueBefore: this.today() } : {}),
    });
  }

  /** The stored outcome of an earlier request under this key, if there was one (a conflict if it differed). */
  private async replay(
    actor: Principal,
    key: string,
    operation: string,
    request: Record<string, unknown>,
  ): Promise<TransferOutcome | null> {
    const existing = await this.deps.store.idempotencyKey(actor.authorityCode, key);
    if (!existing) return null;
    if (existing.operation !== operation || existing.requestHash !== requestFingerprint(operation, request))
      throw new IdempotencyConflictError(key);
    return this.outcome(existing.transferId, existing.stepSeq ?? 1, true);
  }

  private async outcome(transferId: string, stepSeq: number, replayed: boolean): Promise<TransferOutcome> {
    const transfer = (await this.deps.store.find(transferId))!;
    return { transfer, step: transfer.steps.find((s) => s.seq === stepSeq)!, replayed };
  }

  /**
   * Runs a change once per (authority, key): a retry with the same request gets the first result
   * back, a different request under the same key is a conflict. Requests under one key are
   * serialised by an advisory lock, and steps of one transfer by its row lock.
   */
  private async idempotent(
    actor: Principal,
    key: string,
    operation: string,
    request: Record<string, unknown>,
    transferId: string | null,
    work: (store: TransferStore, transfer: TransferRecord) => Promise<{ transferId: string; stepSeq: number }>,
  ): Promise<TransferOutcome> {
    const fingerprint = requestFingerprint(operation, request);
    const result = await this.deps.store.transaction(async (store) => {
      await store.lockIdempotencyKey(actor.authorityCode, key);
      const existing = await store.idempotencyKey(actor.authorityCode, key);
      if (existing) {
        if (existing.operation !== operation || existing.requestHash !== fingerprint)
          throw new IdempotencyConflictError(key);
        return { transferId: existing.transferId, stepSeq: existing.stepSeq ?? 1, replayed: true };
      }
      let transfer: TransferRecord | null = null;
      if (transferId !== null) {
        transfer = visibleTo(actor, isUuid(transferId) ? await store.lock(transferId) : null);
        if (!transfer) throw new TransferNotFoundError(transferId);
      }
      const done = await work(store, transfer!);
      await store.saveIdempotencyKey(actor.authorityCode, key, {
        operation,
        requestHash: fingerprint,
        transferId: done.transferId,
        stepSeq: done.stepSeq,
      });
      return { ...done, replayed: false };
    });
    return this.outcome(result.transferId, result.stepSeq, result.replayed);
  }

  private async publish(store: TransferStore, transfer: TransferRecord, recorded: TransferStepRecord): Promise<void> {
    if (!this.deps.publisher) return;
    const event: LoopEvent = {
      kind: 'TRANSFER_STEP',
      subjectUscc: transfer.subjectUscc,
      concerns: [transfer.senderCode],
      occurredAt: recorded.at,
      dedupeKey: `TRANSFER_STEP:${transfer.id}:${recorded.seq}`,
      payload: {
        transferId: transfer.id,
        seq: recorded.seq,
        step: recorded.kind,
        status: recorded.toStatus,
        senderCode: transfer.senderCode,
        receiverCode: transfer.receiverCode,
        powerItemCode: transfer.powerItemCode,
        reason: recorded.reason,
        caseNo: recorded.caseNo,
        decisionNo: recorded.decisionNo,
      },
    };
    await this.deps.publisher.publish([event], store.client);
  }
}

function step(
  actor: Principal,
  kind: StepKind,
  fromStatus: TransferStatus | null,
  toStatus: TransferStatus,
  at: Date,
  details: { reason?: string | null; caseNo?: string | null; decisionNo?: string | null; note?: string | null },
): Omit<TransferStepRecord, 'seq'> {
  return {
    kind,
    fromStatus,
    toStatus,
    actorSubject: actor.subject,
    actorAuthorityCode: actor.authorityCode,
    at,
    reason: details.reason ?? null,
    caseNo: details.caseNo ?? null,
    decisionNo: details.decisionNo ?? null,
    note: details.note ?? null,
  };
}

function isParty(reader: Principal, transfer: TransferRecord): boolean {
  return reader.authorityCode === transfer.senderCode || reader.authorityCode === transfer.receiverCode;
}

/**
 * The one gate between a stored transfer and anything said about it: the sender, the receiver and
 * auditors see it; for anyone else it does not exist, so every answer they get — a read, a step,
 * an extension, and every error message — is the one a transfer that does not exist gets.
 */
function visibleTo<T extends TransferRecord>(reader: Principal, transfer: T | null): T | null {
  return transfer && (isParty(reader, transfer) || reader.roles.includes('AUDITOR')) ? transfer : null;
}

/** Called only on a transfer visible to the actor (a party or an auditor). */
function assertReceiver(actor: Principal, transfer: TransferRecord): void {
  if (actor.authorityCode === transfer.receiverCode) return;
  if (actor.authorityCode === transfer.senderCode) {
    throw new NotTransferPartyError(
      `only the receiver (${transfer.receiverCode}) reports the steps of transfer ${transfer.id}; the sender reads them`,
      'receiver-only',
    );
  }
  throw new NotTransferPartyError(
    `only the receiver (${transfer.receiverCode}) reports the steps of transfer ${transfer.id}`,
    'not-a-party',
  );
}

function checkText(field: string, value: string | null, required: boolean, max = MAX_TEXT): void {
  if (value === null) {
    if (required) throw new TransferRefusedError('INVALID_INPUT', `${field} is required.`, { field });
    return;
  }
  if (looksBlank(value) && required)
    throw new TransferRefusedError('INVALID_INPUT', `${field} must not be blank.`, { field });
  if (characters(value) > max)
    throw new TransferRefusedError('INVALID_INPUT', `${field} is longer than ${max} characters.`, { field });
}

/** Counted in code points, as a person counts characters (〔 is one, so is 𠀀), as sharing requests count. */
function characters(text: string): number {
  return [...text].length;
}

function checkEvidence(refs: readonly string[]): void {
  if (refs.length > MAX_EVIDENCE_REFS)
    throw new TransferRefusedError(
      'INVALID_INPUT',
      `At most ${MAX_EVIDENCE_REFS} evidence references, got ${refs.length}.`,
      { field: 'evidenceRefs' },
    );
  refs.forEach((ref, index) => {
    if (looksBlank(ref) || characters(ref) > 500)
      throw new TransferRefusedError('INVALID_INPUT', `evidenceRefs[${index}] must be 1 to 500 characters.`, {
        field: 'evidenceRefs',
      });
  });
}

function isUuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
}
