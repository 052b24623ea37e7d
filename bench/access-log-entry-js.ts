/**
 * `npx tsx bench/access-log-entry-js.ts [--appends 20000] [--batch 1]`: the JavaScript of one
 * access-log append alone — storable entry, chain (hash version 2), statement text and values,
 * records — on a store that answers at once (a fake Prisma and `executeStatement`), so the figure
 * holds none of the database's own work. Appends go through `write` where the log has it (as the
 * writer appends), else `appendMany`, so the same script measures a tree before and after.
 */
import { parseArgs } from 'node:util';
import { AccessLog, type AccessLogInput } from '../src/modules/audit/access-log.ts';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import { sampleAccessEntry } from './harness/sample-access-entry.ts';

const { values } = parseArgs({
  options: { appends: { type: 'string', default: '20000' }, batch: { type: 'string', default: '1' } },
});
const appends = Number(values.appends);
const batch = Number(values.batch);

/** The access log's columns as information_schema gives them (prisma/schema.prisma's AccessLogEntry). */
const COLUMNS = [
  ['seq', 'int8'],
  ['at', 'timestamptz'],
  ['duration_ms', 'int4'],
  ['caller_subject', 'text'],
  ['issuer', 'text'],
  ['authority_code', 'text'],
  ['roles', '_text'],
  ['purpose', 'text'],
  ['operation_name', 'text'],
  ['query_hash', 'text'],
  ['subjects', '_text'],
  ['conditional_fields', '_text'],
  ['not_shared_fields', '_text'],
  ['denied_fields', '_text'],
  ['conditional_grants', 'jsonb'],
  ['outcome', 'text'],
  ['client_address', 'text'],
  ['reason', 'text'],
  ['trace_id', 'text'],
  ['hash_version', 'int2'],
  ['prev_hash', 'text'],
  ['hash', 'text'],
].map(([name, udt]) => ({ name, udt }));

const queryRaw = async (strings: TemplateStringsArray) =>
  strings.join('').includes('information_schema') ? COLUMNS : [];
const transaction = async (work: (tx: unknown) => Promise<unknown>) =>
  work({ $executeRaw: async () => batch, $queryRaw: queryRaw });
const prisma = { $queryRaw: queryRaw, $transaction: transaction } as unknown as PrismaClient;
const log = new AccessLog(prisma, { executeStatement: async () => batch, oneConnection: true });
const writer = log as unknown as { write?: (entries: readonly AccessLogInput[]) => Promise<unknown> };
const append = writer.write ? writer.write.bind(log) : log.appendMany.bind(log);

// A fractional duration, as requests measure it: the entry rounds it.
const entry = (i: number): AccessLogInput => ({ ...sampleAccessEntry(i), durationMs: 1.3 });
const run = async (count: number) => {
  for (let i = 0; i < count; i += 1) await append(Array.from({ length: batch }, (_, j) => entry(i * batch + j)));
};

await run(Math.min(2_000, appends));
const cpu = process.cpuUsage();
await run(appends);
const used = process.cpuUsage(cpu);
const entries = appends * batch;
process.stdout.write(
  `${writer.write ? 'write' : 'appendMany'}, ${appends} appends of ${batch}: ` +
    `${((used.user + used.system) / entries).toFixed(2)} µs CPU per entry\n`,
);
