/**
 * `npx tsx bench/profile-mapping.ts [-- --scale 1 --rounds 15]`: is profile-driven mapping as cheap
 * as the hand-written mapper it replaced, for the enforcement system?
 *
 * The simulated world's clues, cases and penalties, rendered exactly as the simulator serves them,
 * are mapped round by round with the compiled mappings of profiles/enforcement.yaml and with the
 * old hand-written mapper (kept in bench/harness/hand-written-enforcement-format.ts), alternating
 * which goes first so neither profits from a warmer machine. Prints the median time per record of
 * each and their ratio (profile ÷ hand-written). Pure CPU, no HTTP: the transport is the same code
 * for both. Nothing here asserts on time.
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

const profile = {
  clue: shippedMapper('enforcement', 'clue'),
  case: shippedMapper('enforcement', 'case'),
  penalty: shippedMapper('enforcement', 'penalty'),
};

/** Maps every record once; the checksum keeps the results alive so nothing is optimised away. */
type Mapper = () => number;
const mapWithProfile: Mapper = () =>
  clues.map(profile.clue).length + cases.map(profile.case).length + penalties.map(profile.penalty).length;
const mapByHand: Mapper = () => clues.map(toClue).length + cases.map(toCase).length + penalties.map(toPenalty).length;

// The two must agree before their speed means anything.
const same = JSON.stringify([clues.map(profile.clue), cases.map(profile.case), penalties.map(profile.penalty)]);
const old = JSON.stringify([clues.map(toClue), cases.map(toCase), penalties.map(toPenalty)]);
if (same !== old) throw new Error('the profile and the hand-written mapper disagree on the world records');

/** One timed pass of `repeat` mappings of every record, in nanoseconds per record. */
function time(map: Mapper, repeat: number): number {
  let checksum = 0;
  const start = performance.now();
  for (let i = 0; i < repeat; i += 1) checksum += map();
  const elapsed = performance.now() - start;
  if (checksum !== count * repeat) throw new Error('lost records');
  return (elapsed * 1e6) / (count * repeat);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const repeat = Math.max(1, Math.round(10_000 / count));
// Warm-up, so that both are measured compiled (JIT) rather than interpreted.
for (let i = 0; i < 3; i += 1) {
  time(mapWithProfile, repeat);
  time(mapByHand, repeat);
}
// Short passes side by side, so each round's ratio compares the two under the same load (the
// machine is shared); the median ratio over the rounds is the figure.
const byProfile: number[] = [];
const byHand: number[] = [];
const ratios: number[] = [];
for (let round = 0; round < rounds; round += 1) {
  const profileFirst = round % 2 === 0;
  const hand = profileFirst ? NaN : time(mapByHand, repeat);
  const viaProfile = time(mapWithProfile, repeat);
  const handNow = profileFirst ? time(mapByHand, repeat) : hand;
  byProfile.push(viaProfile);
  byHand.push(handNow);
  ratios.push(viaProfile / handNow);
}
const profileNs = median(byProfile);
const handNs = median(byHand);
const sorted = [...ratios].sort((a, b) => a - b);
const quartile = (q: number) => sorted[Math.floor((sorted.length - 1) * q)] ?? NaN;
console.log(
  `enforcement mapping, ${count} records (${clues.length} clues, ${cases.length} cases, ${penalties.length} penalties) × ${repeat}, ${rounds} rounds`,
);
console.log(`hand-written  ${handNs.toFixed(0)} ns/record (median)`);
console.log(`profile       ${profileNs.toFixed(0)} ns/record (median)`);
console.log(
  `ratio profile/hand-written ${median(ratios).toFixed(2)} (median of ${rounds} paired rounds; quartiles ${quartile(0.25).toFixed(2)}–${quartile(0.75).toFixed(2)})`,
);
