/**
 * `npx tsx bench/validation-cost.ts`: the CPU of parsing and validating each refused attack document and of
 * one legitimate document, in this process, with the query limits run the way the gateway runs
 * them (`queryLimitRules`: first, alone) against the way they ran before (alongside graphql-js's
 * rules in one walk). Timed in-process over many repetitions, so other load on the machine
 * matters little; Apollo then wraps each error, which reads its stack (`.stack` is read here too).
 */
import { parse, specifiedRules, validate, type ValidationRule } from 'graphql';
import { armorRules, DEFAULT_QUERY_LIMITS, queryLimitRules } from '../src/platform/query-limits.ts';
import { declarationSchema } from '../src/schema-type-defs.ts';
import { attacks, lifecycle } from './harness/queries.ts';

const schema = declarationSchema();
const ways: Record<string, ValidationRule[]> = {
  'limits alongside the rules (before)': [...specifiedRules, ...armorRules(DEFAULT_QUERY_LIMITS)],
  'limits first (now)': [...specifiedRules, ...queryLimitRules(DEFAULT_QUERY_LIMITS)],
};
const documents = [
  ...attacks('91330381MA2B3C4D5E')
    .filter((a) => !Array.isArray(JSON.parse(a.body)) && a.body.length < 100_000)
    .map((a) => ({ name: a.name, query: (JSON.parse(a.body) as { query: string }).query })),
  { name: 'lifecycle (accepted)', query: lifecycle.query },
];

const cpuMsPerRun = (run: () => void, repetitions: number) => {
  for (let i = 0; i < 50; i += 1) run();
  const before = process.cpuUsage();
  for (let i = 0; i < repetitions; i += 1) run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / repetitions;
};

/** Parsing too, as Apollo does: a document over the token limit is refused by the parser. */
const check = (query: string, rules: ValidationRule[]) => {
  try {
    const document = parse(query, { maxTokens: DEFAULT_QUERY_LIMITS.maxTokens });
    for (const error of validate(schema, document, rules)) void error.stack;
  } catch (error) {
    void (error as Error).stack;
  }
};

for (const { name, query } of documents) {
  const figures = Object.entries(ways).map(([way, rules]) => {
    const ms = cpuMsPerRun(() => check(query, rules), 500);
    return `${way} ${ms.toFixed(3)} ms`;
  });
  process.stdout.write(`${name}: ${figures.join(', ')}\n`);
}
