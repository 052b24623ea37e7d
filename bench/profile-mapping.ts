/**
 * `npx tsx bench/profile-mapping.ts [-- --scale 1 --rounds 41]`: is profile-driven mapping as cheap
 * as the hand-written mapper it replaced, for the enforcement system?
 *
 * The simulated world's clues, cases and penalties, rendered exactly as the simulator serves them,
 * are mapped round by round with the compiled mappings of profiles/enforcement.yaml and with the
 * old hand-written mapper (kept in bench/harness/hand-written-enforcement-format.ts), in short
 * paired passes whose order alternates, so neither profits from a warmer or quieter machine.
 * Prints, per record kind, the median time per record of each and the median of the paired ratios
 * (profile ÷ hand-written), then the ratio over all records. Pure CPU, no HTTP: the transport is
 * the same code for both. Nothing here asserts on time.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { shippedMapper } from '../src/connectors/profiles/shipped-mapper.ts';
import { generateWorld } from '../simulators/index.ts';
import { renderCase, renderClue, renderPenalty } from '../simulators/systems/enforcement-format.ts';
import { toCase, toClue, toPenalty } from './harness/hand-written-enforcement-format.ts';
import type { RawCase, RawClue, RawPenalty } from './harness/hand-written-enforcement-format.ts';

const { values } = parseArgs({
  options: { scale: { type: 'string', default: '1' }, rounds: { type: 'string', default: '41' } },
});
const rounds = Number(values.rounds);
const world = generateWorld({ seed: 42, scale: Number(values.scale) });

// The records as the wire delivers them (JSON round trip: no object shapes shared with the world).
const wire = <T>(records: unknown[]): T[] => JSON.parse(JSON.stringify(records)) as T[];
const clues = wire<RawClue>(world.clues.map(renderClue));
const cases = wire<RawCase>(world.cases.map(renderCase));
const penalties = wire<RawPenalty>(world.penalties.map(renderPenalty));
const count = clues.length + cases.length + penalties.length;

/** One record kind: its wire records, the profile's compiled mapping and the hand-written one. */
interface Kind {
  name: string;
  records: unknown[];
  profile: (raw: unknown) => unknown;
  hand: (raw: never) => unknown;
}
const kinds: Kind[] = [
  { name: 'clue', records: clues, profile: shippedMapper('enforcement', 'clue'), hand: toClue },
  { name: 'case', records: cases, profile: shippedMapper('enforcement', 'case'), hand: toCase },
  { name: 'penalty', records: penalties, profile: shippedMapper('enforcement', 'penalty'), hand: toPenalty },
];
const byHand = (kind: Kind) => (raw: unknown) => kind.hand(raw as never);

// The two must agree before their speed means anything.
for (const kind of kinds) {
  if (JSON.stringify(kind.records.map(kind.profile)) !== JSON.stringify(kind.records.map(byHand(kind)))) {
    throw new Error(`the profile and the hand-written mapper disagree on the world's ${kind.name} records`);
  }
}

/** One timed pass of `repeat` mappings of each record, in nanoseconds per record. */
function time(records: unknown[], map: (raw: unknown) => unknown, repeat: number): number {
  let checksum = 0;
  const start = performance.now();
  for (let i = 0; i < repeat; i += 1) checksum += records.map(map).length;
  const elapsed = performance.now() - start;
  if (checksum !== records.length * repeat) throw new Error('lost records');
  return (elapsed * 1e6) / (records.length * repeat);
}

const sortedOf = (xs: number[]) => [...xs].sort((a, b) => a - b);
const at = (xs: number[], q: number) => sortedOf(xs)[Math.floor((xs.length - 1) * q)] ?? NaN;

/**
 * Short passes side by side, the order alternating, so each round's ratio compares the two under
 * the same load (the machine is shared); the median ratio over the rounds is the figure.
 */
function compare(records: unknown[], viaProfile: (raw: unknown) => unknown, viaHand: (raw: unknown) => unknown) {
  // About 20,000 mappings a pass: long enough to time, short enough to pair under the same load.
  const repeat = Math.max(1, Math.round(20_000 / records.length));
  // Warm-up, so that both are measured compiled (JIT) rather than interpreted.
  for (let i = 0; i < 3; i += 1) {
    time(records, viaProfile, repeat);
    time(records, viaHand, repeat);
  }
  const profileNs: number[] = [];
  const handNs: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const handFirst = round % 2 === 1 ? time(records, viaHand, repeat) : NaN;
    const profile = time(records, viaProfile, repeat);
    const hand = round % 2 === 1 ? handFirst : time(records, viaHand, repeat);
    profileNs.push(profile);
    handNs.push(hand);
    ratios.push(profile / hand);
  }
  return { profile: at(profileNs, 0.5), hand: at(handNs, 0.5), ratios };
}

console.log(
  `enforcement mapping, ${count} records (${clues.length} clues, ${cases.length} cases, ${penalties.length} penalties), ${rounds} paired rounds`,
);
const line = (name: string, result: ReturnType<typeof compare>) =>
  console.log(
    `${name.padEnd(8)} hand-written ${result.hand.toFixed(0)} ns/record, profile ${result.profile.toFixed(0)} ns/record, ` +
      `ratio profile/hand-written ${at(result.ratios, 0.5).toFixed(2)} (quartiles ${at(result.ratios, 0.25).toFixed(2)}–${at(result.ratios, 0.75).toFixed(2)})`,
  );
let profileTotal = 0;
let handTotal = 0;
for (const kind of kinds) {
  const result = compare(kind.records, kind.profile, byHand(kind));
  line(kind.name, result);
  profileTotal += result.profile * kind.records.length;
  handTotal += result.hand * kind.records.length;
}
console.log(
  `all      ratio profile/hand-written ${(profileTotal / handTotal).toFixed(2)} (the kinds' medians, weighted by count)`,
);
