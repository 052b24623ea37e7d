import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopWorld, type LoopWorld } from './support/loop-world.ts';

/**
 * A subject's loop counts only the records the caller could list: inspections, clues and cases
 * lie where they took place, which need not be where the subject is registered, and one outside
 * the caller's jurisdiction is answered exactly like one that does not exist.
 */
describe("a subject's loop within the caller's jurisdiction (scale 1, seed 42)", () => {
  let world: LoopWorld;
  beforeAll(async () => {
    world = await startLoopWorld({ seed: 42 });
  }, 120_000);
  afterAll(() => world?.close());

  it('leaves out of a township team’s stage counts the inspection and case of its subject that lie in another township', async () => {
    const [row] = await world.store.prisma.$queryRaw<Array<{ uscc: string; township: string }>>`
      SELECT s.uscc, s.township_code AS township FROM subject s
      WHERE EXISTS (SELECT 1 FROM loop_inspection i WHERE i.subject_code = s.uscc)
        AND EXISTS (SELECT 1 FROM loop_case k WHERE k.subject_uscc = s.uscc)
      ORDER BY s.uscc LIMIT 1`;
    const { uscc, township } = row!;
    const elsewhere = township.endsWith('001') ? `${township.slice(0, 6)}002` : `${township.slice(0, 6)}001`;
    const subject = { uscc, legacyRegNo: null };
    const stage = (loop: Awaited<ReturnType<typeof world.loop.subjectLoop.of>>, name: string) =>
      loop.stages.find((s) => s.stage === name)!;

    const before = await world.loop.subjectLoop.of(subject, null, township);
    expect(stage(before, 'SUPERVISION').records).toBeGreaterThan(0);

    // The subject's inspections and cases took place in another township.
    await world.store.prisma
      .$executeRaw`UPDATE loop_inspection SET township_code = ${elsewhere} WHERE subject_code = ${uscc}`;
    await world.store.prisma
      .$executeRaw`UPDATE loop_case SET township_code = ${elsewhere} WHERE subject_uscc = ${uscc}`;
    await world.store.prisma
      .$executeRaw`UPDATE loop_clue SET township_code = ${elsewhere} WHERE subject_uscc = ${uscc}`;

    const own = await world.loop.subjectLoop.of(subject, null, township);
    expect(stage(own, 'SUPERVISION')).toMatchObject({ records: 0, open: 0, latestOn: null, status: 'NONE' });
    const penalties = await world.store.prisma.$queryRaw<Array<{ n: number }>>`
      SELECT count(*)::int AS n FROM loop_penalty WHERE subject_uscc = ${uscc}`;
    // Penalty decisions are public (双公示) and confined to no place: they alone remain.
    expect(stage(own, 'ENFORCEMENT').records).toBe(penalties[0]!.n);

    const other = await world.loop.subjectLoop.of(subject, null, elsewhere);
    expect(stage(other, 'SUPERVISION').records).toBe(stage(before, 'SUPERVISION').records);
    const county = await world.loop.subjectLoop.of(subject, null, township.slice(0, 6));
    expect(stage(county, 'SUPERVISION').records).toBe(stage(before, 'SUPERVISION').records);
  });

  it('counts a commitment permit verified only in another township as still awaiting verification for a township team', async () => {
    const prisma = world.store.prisma;
    const [row] = await prisma.$queryRaw<Array<{ permitNo: string; uscc: string; township: string }>>`
      SELECT p.permit_no AS "permitNo", p.holder_uscc AS uscc, s.township_code AS township
      FROM loop_permit p JOIN subject s ON s.uscc = p.holder_uscc
      WHERE p.commitment_based ORDER BY p.permit_no LIMIT 1`;
    const { permitNo, uscc, township } = row!;
    const elsewhere = township.endsWith('001') ? `${township.slice(0, 6)}002` : `${township.slice(0, 6)}001`;
    const subject = { uscc, legacyRegNo: null };
    const approval = async (scope: string) =>
      (await world.loop.subjectLoop.of(subject, null, scope)).stages.find((s) => s.stage === 'APPROVAL')!;
    // Its only permit under verification, verified on site, first in the subject's own township.
    await prisma.$executeRaw`UPDATE loop_permit SET commitment_based = false WHERE holder_uscc = ${uscc} AND permit_no <> ${permitNo}`;
    await prisma.$executeRaw`UPDATE loop_permit SET verification_due_on = '2099-12-31' WHERE permit_no = ${permitNo}`;
    await prisma.$executeRaw`DELETE FROM loop_inspection WHERE permit_no = ${permitNo}`;
    await prisma.$executeRaw`
      INSERT INTO loop_inspection (id, subject_code, subject_code_kind, permit_no, kind, inspected_on, lead_authority_code,
        authority_codes, township_code, outcome, status, upstream_updated_at)
      VALUES ('test-verification', ${uscc}, 'USCC', ${permitNo}, 'COMMITMENT_VERIFICATION', '2026-01-05', 'test',
        ARRAY['test'], ${township}, 'NO_ISSUE', 'COMPLETED', now())`;
    expect(await approval(township)).toMatchObject({ open: 0 });

    await prisma.$executeRaw`UPDATE loop_inspection SET township_code = ${elsewhere} WHERE id = 'test-verification'`;
    // The team's lists hold no such inspection, so neither does its count: the permit awaits verification.
    expect(await approval(township)).toMatchObject({ open: 1 });
    expect(await approval(elsewhere)).toMatchObject({ open: 0 });
    expect(await approval(township.slice(0, 6))).toMatchObject({ open: 0 });
  });
});
