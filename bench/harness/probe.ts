import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type GcTally, tallyGc } from './gc-tally.ts';
import { wasmMemoryBytes } from './wasm-memory.ts';

/** What a benchmark child reports about itself: CPU, memory and event-loop delay since the last reset. */
export interface ProbeReading {
  cpuMs: number;
  /** Of cpuMs, the kernel's share (system time): socket reads and writes, and on loopback the peer's TCP work done in this process's syscalls. */
  systemCpuMs: number;
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  /** Memory outside V8's heap that V8 knows of: Buffers, ArrayBuffers, WebAssembly memories. */
  externalBytes: number;
  /** WebAssembly memories (PGlite's Postgres heap, Prisma's query compiler): the embedded store's share of RSS. */
  wasmBytes: number;
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** Garbage-collection pauses since start-up; subtract two readings for a span's. */
  gc: GcTally;
}

export type ProbeRequest = {
  id: number;
  kind:
    | 'read'
    | 'read-and-reset'
    | 'gc-then-read'
    | 'close'
    | 'profile-start'
    | 'allocation-start'
    | 'survivors-start'
    | 'profile-stop';
  /**
   * For profile-stop: where to write the profile started (a .cpuprofile or, after
   * allocation-start, a .heapprofile; open either in Chrome DevTools or speedscope).
   */
  path?: string;
};

/**
 * A CPU profile, or an allocation profile, of just the load that follows, not of start-up (which
 * --cpu-prof would include). The allocation profile samples every 1 KB allocated, objects the
 * collector has freed since included: what the load allocated, not what it kept. The survivors
 * profile leaves out what scavenges freed: it keeps what outlived the young generation (promoted,
 * then freed by a mark-compact, or still alive at the end), which is what scavenges copy.
 */
const profiler = {
  session: null as Session | null,
  kind: 'cpu' as 'cpu' | 'allocation' | 'survivors',
  post: (session: Session, method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    ),
  async start(kind: 'cpu' | 'allocation' | 'survivors') {
    this.session = new Session();
    this.session.connect();
    this.kind = kind;
    if (kind === 'cpu') {
      await this.post(this.session, 'Profiler.enable');
      await this.post(this.session, 'Profiler.start');
    } else {
      await this.post(this.session, 'HeapProfiler.startSampling', {
        samplingInterval: 1024,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: kind === 'allocation',
      });
    }
  },
  async stop(path: string) {
    if (!this.session) return;
    const stop = this.kind === 'cpu' ? 'Profiler.stop' : 'HeapProfiler.stopSampling';
    const { profile } = (await this.post(this.session, stop)) as { profile: unknown };
    writeFileSync(path, JSON.stringify(profile));
    this.session.disconnect();
    this.session = null;
  },
};

/**
 * Answers the parent's IPC questions. Measured inside the child, so the load generator's own
 * work never shows in a server's figures. The delay monitor is the same perf_hooks histogram
 * prom-client's default metrics use (10 ms resolution); reading it over IPC keeps the floor
 * and the gateways comparable.
 */
export function answerProbes(close: () => Promise<void>): void {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const gcSoFar = tallyGc();
  const read = (): ProbeReading => {
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    return {
      cpuMs: (cpu.user + cpu.system) / 1000,
      systemCpuMs: cpu.system / 1000,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      externalBytes: memory.external,
      wasmBytes: wasmMemoryBytes(),
      eventLoopDelayP99Ms: delay.percentile(99) / 1e6,
      eventLoopDelayMaxMs: delay.max / 1e6,
      gc: gcSoFar(),
    };
  };
  process.on('message', (message: ProbeRequest) => {
    void (async () => {
      if (message.kind === 'close') {
        await close();
        process.send!({ id: message.id, reading: read() }, () => process.exit(0));
        return;
      }
      if (message.kind === 'profile-start') await profiler.start('cpu');
      if (message.kind === 'allocation-start') await profiler.start('allocation');
      if (message.kind === 'survivors-start') await profiler.start('survivors');
      if (message.kind === 'profile-stop') await profiler.stop(message.path!);
      if (message.kind === 'gc-then-read') {
        const gc = (globalThis as { gc?: () => void }).gc;
        // Twice: the first pass can leave garbage that only a second one frees (weak refs, finalizers).
        gc?.();
        gc?.();
      }
      const reading = read();
      if (message.kind === 'read-and-reset') delay.reset();
      process.send!({ id: message.id, reading });
    })();
  });
  // The parent going away must not leave servers behind.
  process.on('disconnect', () => void close().finally(() => process.exit(0)));
}

/** Tells the parent the child is serving, and at which addresses. */
export function announceReady(detail: Record<string, unknown>): void {
  process.send!({ ready: detail });
}
