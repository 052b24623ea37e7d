/**
 * `npx tsx bench/log-line-cost.ts shipped|buffered|sync [--lines 30000] | cat > /dev/null`: the
 * process CPU one request-completion line costs on stdout, each line logged in its own turn of
 * the event loop as requests are. `shipped` is the gateway's logger (src/platform/logger.ts, pino's
 * default stdout: asynchronous, one thread-pool write at a time, lines queued behind it);
 * `buffered` the same on `pino.destination({ sync: false, minLength: 4096 })`; `sync` on
 * `pino.destination({ sync: true })`. Pipe stdout as a container runtime does; the figure goes to
 * stderr. Run them interleaved (bench/notes/logline.md).
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createLogger } from '../src/platform/logger.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { lines: { type: 'string', default: '30000' } },
});
const which = positionals[0] ?? 'shipped';
const lines = Number(values.lines);
const destinations: Record<string, (() => ReturnType<typeof pino.destination>) | undefined> = {
  shipped: undefined,
  buffered: () => pino.destination({ dest: 1, sync: false, minLength: 4096 }),
  sync: () => pino.destination({ dest: 1, sync: true }),
};
if (!(which in destinations)) throw new Error(`no such destination: ${which}`);
const logger = createLogger({ destination: destinations[which]?.() });
// The shape request-id.ts logs for a /graphql POST.
const completion = (i: number) => ({
  requestId: '4f1c2b7e-9a3d-4e5f-8b6a-0c1d2e3f4a5b',
  req: { method: 'POST', path: '/graphql', userAgent: 'undici', contentLength: '118' },
  res: { statusCode: 200 },
  durationMs: i % 7,
});

const before = process.cpuUsage();
const startedAt = performance.now();
await new Promise<void>((resolve) => {
  let logged = 0;
  const next = () => {
    if (logged++ === lines) return resolve();
    logger.info(completion(logged), 'request completed');
    setImmediate(next);
  };
  next();
});
const cpu = process.cpuUsage(before);
const perLine = (us: number) => (us / lines).toFixed(2);
process.stderr.write(
  `${which}: ${perLine(cpu.user + cpu.system)} µs CPU a line (user ${perLine(cpu.user)}, system ${perLine(cpu.system)}), ` +
    `${perLine((performance.now() - startedAt) * 1000)} µs wall\n`,
);
process.exit(0);
