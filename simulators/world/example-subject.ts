import type { World, WorldEnterprise } from './model.ts';

/**
 * An enterprise whose loop is whole in this world — a permit, an inspection of it, the clue that
 * inspection sent, its case, a penalty and the credit record of that penalty — for the example
 * query `npm start` prints and the GraphQL IDE opens with, so it answers from all four systems
 * whatever the seed. `preferred` (the README's example subject) when it qualifies, else the first
 * that does in the world's order. A small world (scale 0.05 or less) may have no whole loop: then
 * the first enterprise furthest along one, so the example still names an enterprise of the world
 * served rather than the demo world's. Undefined only in a world without enterprises.
 */
export function exampleSubject(world: World, preferred?: string): WorldEnterprise | undefined {
  const depth = loopDepths(world);
  const furthest = Math.max(0, ...depth.values());
  const candidates = world.enterprises.filter((enterprise) => (depth.get(enterprise.uscc) ?? 0) === furthest);
  return candidates.find((enterprise) => enterprise.uscc === preferred) ?? candidates[0];
}

/**
 * How far each permit holder's furthest permit gets along the loop: 1 a permit, 2 inspected
 * (under its USCC, so the example's `permits { inspections }` finds it), 3 a clue sent, 4 a case
 * filed, 5 a penalty, 6 its credit record published.
 */
function loopDepths(world: World): Map<string, number> {
  const credited = new Set(world.creditRecords.map((record) => record.decisionNo));
  const caseDepth = new Map<string, number>();
  for (const c of world.cases) caseDepth.set(c.caseNo, 4);
  for (const penalty of world.penalties)
    caseDepth.set(
      penalty.caseNo,
      Math.max(caseDepth.get(penalty.caseNo) ?? 4, credited.has(penalty.decisionNo) ? 6 : 5),
    );
  const clueDepth = new Map<string, number>();
  for (const clue of world.clues) clueDepth.set(clue.id, 3);
  for (const c of world.cases)
    if (c.clueId !== null && clueDepth.has(c.clueId))
      clueDepth.set(c.clueId, Math.max(clueDepth.get(c.clueId)!, caseDepth.get(c.caseNo)!));
  const inspectionDepth = new Map<string, number>();
  for (const inspection of world.inspections)
    if (inspection.subjectCodeKind === 'USCC') inspectionDepth.set(inspection.id, 2);
  for (const clue of world.clues)
    if (clue.inspectionId !== null && inspectionDepth.has(clue.inspectionId))
      inspectionDepth.set(
        clue.inspectionId,
        Math.max(inspectionDepth.get(clue.inspectionId)!, clueDepth.get(clue.id)!),
      );
  const permitDepth = new Map<string, number>();
  for (const inspection of world.inspections) {
    const reached = inspectionDepth.get(inspection.id);
    if (reached !== undefined && inspection.permitNo !== null)
      permitDepth.set(inspection.permitNo, Math.max(permitDepth.get(inspection.permitNo) ?? 1, reached));
  }
  const holderDepth = new Map<string, number>();
  for (const permit of world.permits)
    holderDepth.set(
      permit.holderUscc,
      Math.max(holderDepth.get(permit.holderUscc) ?? 1, permitDepth.get(permit.permitNo) ?? 1),
    );
  return holderDepth;
}
