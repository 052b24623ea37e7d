import type { World, WorldEnterprise } from './model.ts';

/**
 * An enterprise whose loop is whole in this world — a permit, an inspection of it, the clue that
 * inspection sent, its case, a penalty and the credit record of that penalty — for the example
 * query `npm start` prints and the GraphQL IDE opens with, so it answers from all four systems
 * whatever the seed. `preferred` (the README's example subject) when it qualifies, else the first
 * that does in the world's order; undefined in a world with none.
 */
export function exampleSubject(world: World, preferred?: string): WorldEnterprise | undefined {
  const credited = new Set(world.creditRecords.map((record) => record.decisionNo));
  const penalisedCases = new Set(world.penalties.filter((p) => credited.has(p.decisionNo)).map((p) => p.caseNo));
  const cluesWithCase = new Set(world.cases.filter((c) => penalisedCases.has(c.caseNo)).map((c) => c.clueId));
  const inspectionsWithClue = new Set(world.clues.filter((c) => cluesWithCase.has(c.id)).map((c) => c.inspectionId));
  const permitsWhole = new Set(
    world.inspections
      .filter((inspection) => inspection.subjectCodeKind === 'USCC' && inspectionsWithClue.has(inspection.id))
      .map((inspection) => inspection.permitNo),
  );
  const holders = new Set(world.permits.filter((p) => permitsWhole.has(p.permitNo)).map((p) => p.holderUscc));
  const whole = world.enterprises.filter((enterprise) => holders.has(enterprise.uscc));
  return whole.find((enterprise) => enterprise.uscc === preferred) ?? whole[0];
}
