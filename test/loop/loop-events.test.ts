import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPublisher } from '../../src/modules/events/loop-event.ts';
import { EventOutbox } from '../../src/modules/events/event-outbox.ts';
import { startLoopWorld, type LoopWorld } from './support/loop-world.ts';

interface OutboxRow {
  kind: string;
  dedupeKey: string;
  subjectUscc: string;
  concerns: string[];
}

describe('loop events from the incremental index sync', () => {
  let world: LoopWorld;
  /** The real outbox, which can be made to refuse, to show index, cursor and events commit together. */
  let refusing = false;
  const publisherOver = (outbox: EventOutbox): EventPublisher => ({
    publish: (events, db) => (refusing ? Promise.reject(new Error('the outbox refuses')) : outbox.publish(events, db)),
  });
  const outbox = () =>
    world.store.prisma.outboxEvent.findMany({
      orderBy: { seq: 'asc' },
      select: { kind: true, dedupeKey: true, subjectUscc: true, concerns: true },
    }) as Promise<OutboxRow[]>;

  beforeAll(async () => {
    world = await startLoopWorld({ seed: 42, publisher: (store) => publisherOver(new EventOutbox(store.prisma)) });
  }, 120_000);
  afterAll(() => world?.close());

  it('publishes nothing for the first backfill of an empty index', async () => {
    expect(await outbox()).toEqual([]);
  });

  it('tells the supervising department when a permit changes', async () => {
    const permit = world.world.permits.find((p) => p.status === 'VALID' && p.itemCode === '330381-XK-0001')!;
    await world.simulators.control('approval').mutate('permit', permit.permitNo, { status: 3 });
    await world.loop.sync.syncOnce();
    const events = (await outbox()).filter((e) => e.dedupeKey.startsWith(`PERMIT_CHANGED:${permit.permitNo}:`));
    expect(events).toHaveLength(1);
    // 食品经营许可 is a market-supervision item: the market regulator leads its inspections.
    expect(events[0]).toMatchObject({
      kind: 'PERMIT_CHANGED',
      subjectUscc: permit.holderUscc,
      concerns: ['330381-SCJGJ'],
    });
  });

  it('tells the township enforcement team when an inspection finds a violation', async () => {
    const inspection = world.world.inspections.find(
      (i) => i.outcome === 'NO_PROBLEM' && i.status !== 'PLANNED' && i.subjectCodeKind === 'USCC',
    )!;
    await world.simulators.control('supervision').mutate('inspection', inspection.id, { result: '发现违法' });
    await world.loop.sync.syncOnce();
    const events = (await outbox()).filter((e) => e.dedupeKey === `VIOLATION_FOUND:${inspection.id}`);
    expect(events).toEqual([
      {
        kind: 'VIOLATION_FOUND',
        dedupeKey: `VIOLATION_FOUND:${inspection.id}`,
        subjectUscc: inspection.subjectCode,
        concerns: [`${inspection.townshipCode}-ZFD`],
      },
    ]);
  });

  it('names the subject by its USCC when the inspection record used the legacy number', async () => {
    const inspection = world.world.inspections.find(
      (i) => i.outcome === 'NO_PROBLEM' && i.status !== 'PLANNED' && i.subjectCodeKind === 'LEGACY_REG_NO',
    )!;
    const enterprise = world.world.enterprises.find((e) => e.legacyRegNo === inspection.subjectCode)!;
    await world.simulators.control('supervision').mutate('inspection', inspection.id, { result: '发现违法' });
    await world.loop.sync.syncOnce();
    const events = (await outbox()).filter((e) => e.dedupeKey === `VIOLATION_FOUND:${inspection.id}`);
    expect(events.map((e) => e.subjectUscc)).toEqual([enterprise.uscc]);
  });

  it('tells the credit centre and the permit office when a penalty decision is new to the index', async () => {
    const penalty = world.world.penalties.find((p) => p.affectedPermitNo !== null)!;
    // The index forgets the decision, as if the feed had not yet shown it; the agency then touches it.
    await world.store.prisma.loopPenalty.delete({ where: { decisionNo: penalty.decisionNo } });
    await world.simulators.control('enforcement').mutate('penalty', penalty.decisionNo, { EXEC_STATUS: 1 });
    await world.loop.sync.syncOnce();
    const events = (await outbox()).filter((e) => e.kind === 'PENALTY_DECIDED');
    expect(events).toEqual([
      {
        kind: 'PENALTY_DECIDED',
        dedupeKey: `PENALTY_DECIDED:${penalty.decisionNo}`,
        subjectUscc: penalty.subjectUscc,
        concerns: ['330381-XYZX', '330381-XZSPJ'],
      },
    ]);
  });

  it('publishes no second event when a sync finds nothing new', async () => {
    const before = (await outbox()).length;
    await world.loop.sync.syncOnce();
    expect(await outbox()).toHaveLength(before);
  });

  it('stores neither the page nor its cursor when its events cannot be written, and catches up afterwards', async () => {
    const permit = world.world.permits.find((p) => p.status === 'VALID' && p.itemCode === '330381-XK-0002')!;
    const cursorBefore = await world.store.prisma.syncCursor.findUnique({ where: { feed: 'approval.permits' } });
    await world.simulators.control('approval').mutate('permit', permit.permitNo, { status: 2 });
    refusing = true;
    await expect(world.loop.sync.syncOnce()).rejects.toThrow(/approval.permits/);
    expect((await world.store.prisma.loopPermit.findUnique({ where: { permitNo: permit.permitNo } }))!.status).toBe(
      'VALID',
    );
    expect((await world.store.prisma.syncCursor.findUnique({ where: { feed: 'approval.permits' } }))!.cursor).toBe(
      cursorBefore!.cursor,
    );

    refusing = false;
    await world.loop.sync.syncOnce();
    expect((await world.store.prisma.loopPermit.findUnique({ where: { permitNo: permit.permitNo } }))!.status).toBe(
      'SUSPENDED',
    );
    expect((await outbox()).filter((e) => e.dedupeKey.startsWith(`PERMIT_CHANGED:${permit.permitNo}:`))).toHaveLength(
      1,
    );
  });
});
