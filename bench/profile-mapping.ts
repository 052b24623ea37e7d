/**
 * Profile-driven mapping against the hand-written mappers it replaces, on the demo world's
 * records (seed 42) as the simulators render them: CPU per record, rounds interleaved, median.
 * `npx tsx bench/profile-mapping.ts [--rounds 15]`. Runs only while both exist (see README).
 */
import { toCreditProfile, toCreditRecord } from '../src/connectors/credit/credit-format.ts';
import type { RawCreditRecord, RawCreditSubject } from '../src/connectors/credit/credit-format.ts';
import { shippedMapper } from '../src/connectors/profiles/shipped-mapper.ts';
import { generateWorld } from '../simulators/index.ts';
import { renderRecord, renderSubject } from '../simulators/systems/credit-format.ts';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 15;
const world = generateWorld({ seed: 42, scale: 1 });
const parse = (rendered: unknown): unknown =>
  JSON.parse(typeof rendered === 'string' ? rendered : JSON.stringify(rendered));

interface Case {
  name: string;
  raws: unknown[];
  hand: (raw: never) => unknown;
  profile: (raw: unknown) => unknown;
}

const cases: Case[] = [
  {
    name: 'credit subject',
    raws: world.creditProfiles.map((s) => parse(renderSubject(s))),
    hand: (raw: RawCreditSubject) => toCreditProfile(raw),
    profile: shippedMapper('credit', 'creditProfile'),
  },
  {
    name: 'credit record',
    raws: world.creditRecords.map((r) => parse(renderRecord(r))),
    hand: (raw: RawCreditRecord) => toCreditRecord(raw),
    profile: shippedMapper('credit', 'creditRecord'),
  },
];

function time(map: (raw: never) => unknown, raws: unknown[]): number {
  const started = process.hrtime.bigint();
  let sink = 0;
  for (let repeat = 0; repeat < 20; repeat++) {
    for (const raw of raws) if (map(raw as never)) sink++;
  }
  if (sink < 0) console.log(sink);
  return Number(process.hrtime.bigint() - started) / (20 * raws.length);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

console.log(`| records | count | hand-written ns/record | profile ns/record | profile / hand |`);
console.log(`|---|---|---|---|---|`);
for (const { name, raws, hand, profile } of cases) {
  // Same records, same output: a mapping that differs is no comparison.
  for (const raw of raws) {
    if (JSON.stringify(hand(raw as never)) !== JSON.stringify(profile(raw))) throw new Error(`${name}: outputs differ`);
  }
  const handTimes: number[] = [];
  const profileTimes: number[] = [];
  time(hand, raws);
  time(profile, raws);
  for (let round = 0; round < rounds; round++) {
    handTimes.push(time(hand, raws));
    profileTimes.push(time(profile, raws));
  }
  const [h, p] = [median(handTimes), median(profileTimes)];
  console.log(`| ${name} | ${raws.length} | ${h.toFixed(0)} | ${p.toFixed(0)} | ${(p / h).toFixed(2)} |`);
}
