import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.ts';
import { loadWorkingDayCalendar } from '../../src/platform/holiday-calendar-file.ts';
import { SharingRequestService } from '../../src/modules/sharing-requests/index.ts';
import type { SharingRequestInput } from '../../src/modules/sharing-requests/sharing-request-service.ts';
import { isOverdue, wasAnsweredLate } from '../../src/modules/sharing-requests/answer-deadline.ts';
import { EventOutbox } from '../../src/modules/events/event-outbox.ts';
import { GrantStore } from '../../src/modules/access/grant-store.ts';
import type { Store } from '../../src/platform/store/open-store.ts';
import { storeVariants } from '../support/stores.ts';

const calendar = loadWorkingDayCalendar();

function principal(
  authorityCode: string,
  authorityKind: Principal['authorityKind'],
  roles: Principal['roles'],
): Principal {
  return {
    subject: `u-${authorityCode}`,
    issuer: 'https://idp.example',
    kind: 'PERSON',
    authorityCode,
    authorityKind,
    jurisdictionCode: '330381',
    roles,
    purpose: null,
  };
}

const CONSUMER = principal('330381-ZHZFJ', 'COUNTY_ENFORCEMENT_BUREAU', ['OFFICER']);
const APPROVAL_ADMIN = principal('330381-XZSPJ', 'APPROVAL_BUREAU', ['ADMIN']);
const AUDITOR = principal('330381-SJJ', 'ANALYSIS_OFFICE', ['AUDITOR']);

function input(overrides: Partial<SharingRequestInput> = {}): SharingRequestInput {
  return {
    ownerSystem: 'approval',
    ownerAuthorityCode: APPROVAL_ADMIN.authorityCode,
    fields: ['LegalRepresentative.idNumber'],
    purpose: '案件调查',
    matters: ['瑞综执立〔2026〕777号'],
    legalBasis: '《中华人民共和国行政处罚法》第五十五条',
    validFrom: '2026-09-01T00:00:00+08:00',
    validUntil: '2027-09-01T00:00:00+08:00',
    ...overrides,
  };
}

describe('the answer deadline', () => {
  it('counts ten working days over the 中秋 and 国庆 holidays and the 调休 Saturday', () => {
    // Submitted Wednesday 23 September 2026: 24, 28, 29, 30 September, 8, 9, 10 (a worked Saturday), 12, 13, 14 October.
    expect(calendar.addWorkingDays('2026-09-23', 10)).toBe('2026-10-14');
  });
});

for (const variant of storeVariants()) {
  describe.runIf(variant.available)(`a sharing request left unanswered, on ${variant.name}`, () => {
    let store: Store;
    let clock: Date;
    let service: SharingRequestService;

    beforeAll(async () => {
      store = await variant.open();
    });
    afterAll(() => variant.dispose());
    beforeEach(async () => {
      await store.prisma.sharingRequest.deleteMany();
      await store.prisma.grant.deleteMany();
      clock = new Date('2026-09-23T10:00:00+08:00');
      service = new SharingRequestService({
        prisma: store.prisma,
        grants: new GrantStore(store.prisma),
        calendar,
        publisher: new EventOutbox(store.prisma),
        now: () => clock,
      });
    });

    it('is due after ten working days, flagged overdue the day after, and counted against its owner', async () => {
      const request = await service.submit(CONSUMER, input());
      const elsewhere = await service.submit(
        CONSUMER,
        input({ ownerSystem: 'credit', ownerAuthorityCode: '330381-XYZX', fields: ['Credit.commitment'] }),
      );
      expect(request.answerDueOn).toBe('2026-10-14');

      clock = new Date('2026-10-14T23:59:59+08:00');
      expect(isOverdue(request, service.today())).toBe(false);
      expect(await service.overdueCounts(AUDITOR)).toEqual([]);

      clock = new Date('2026-10-15T00:00:00+08:00');
      expect(isOverdue(request, service.today())).toBe(true);
      expect(await service.overdueCounts(AUDITOR)).toEqual([
        { ownerAuthorityCode: '330381-XYZX', overdue: 1 },
        { ownerAuthorityCode: '330381-XZSPJ', overdue: 1 },
      ]);
      expect(await service.overdueCounts(APPROVAL_ADMIN)).toEqual([{ ownerAuthorityCode: '330381-XZSPJ', overdue: 1 }]);
      expect((await service.list(APPROVAL_ADMIN, { overdueOnly: true }, 50)).map((r) => r.id)).toEqual([request.id]);
      expect((await service.list(CONSUMER, { overdueOnly: true }, 50)).map((r) => r.id).sort()).toEqual(
        [request.id, elsewhere.id].sort(),
      );
    });

    it('is recorded as answered late when the answer comes after the due day, and no longer counts as overdue', async () => {
      const request = await service.submit(CONSUMER, input());
      clock = new Date('2026-10-16T09:00:00+08:00');
      const answered = await service.answer(APPROVAL_ADMIN, {
        id: request.id,
        decision: 'REJECT',
        reason: '超出本案调查范围',
      });
      expect(answered).toMatchObject({ status: 'REJECTED', answerDueOn: '2026-10-14' });
      expect(wasAnsweredLate(answered)).toBe(true);
      expect(isOverdue(answered, service.today())).toBe(false);
      expect(await service.overdueCounts(AUDITOR)).toEqual([]);
      expect(answered.history.map((step) => [step.kind, step.authorityCode])).toEqual([
        ['SUBMITTED', CONSUMER.authorityCode],
        ['REJECTED', APPROVAL_ADMIN.authorityCode],
      ]);
    });

    it('takes the number of working days from its configuration', async () => {
      const strict = new SharingRequestService({
        prisma: store.prisma,
        grants: new GrantStore(store.prisma),
        calendar,
        answerWorkingDays: 5,
        now: () => clock,
      });
      expect((await strict.submit(CONSUMER, input())).answerDueOn).toBe('2026-10-08');
    });

    it('agrees on one answer when two arrive at once, and creates one grant', async () => {
      const request = await service.submit(CONSUMER, input());
      const results = await Promise.allSettled([
        service.answer(APPROVAL_ADMIN, { id: request.id, decision: 'APPROVE' }),
        service.answer(APPROVAL_ADMIN, { id: request.id, decision: 'APPROVE' }),
      ]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      expect(await store.prisma.grant.count({ where: { sharingRequestId: request.id } })).toBe(1);
    });
  });
}
