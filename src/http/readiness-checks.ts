export type ReadinessCheck = () => Promise<void>;

export type CheckResult = { ok: true; ms: number } | { ok: false; ms: number; error: string };

const maxErrorLength = 120;

/**
 * Runs every check at once, each under its own timeout, and never rejects: a check that throws
 * or hangs becomes a failed result. A hung check is abandoned, not cancelled; checks should
 * use their own client timeouts too.
 */
export async function runReadinessChecks(
  checks: Record<string, ReadinessCheck>,
  timeoutMs: number,
): Promise<Record<string, CheckResult>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => [name, await runOne(check, timeoutMs)] as const),
  );
  return Object.fromEntries(entries);
}

async function runOne(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new CheckTimeoutError(timeoutMs)), timeoutMs);
  });
  try {
    // Promise.resolve().then so a check that throws synchronously is caught like a rejection.
    await Promise.race([Promise.resolve().then(check), timeout]);
    return { ok: true, ms: elapsedMs(started) };
  } catch (error) {
    return { ok: false, ms: elapsedMs(started), error: safeMessage(error) };
  } finally {
    clearTimeout(timer);
  }
}

class CheckTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
  }
}

function elapsedMs(started: number): number {
  return Math.round(performance.now() - started);
}

/**
 * /readyz is often reachable by more people than the logs are, so the message is cut to one
 * short line and credentials in connection strings (postgres://user:pass@host) are masked.
 */
function safeMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : 'check failed';
  const firstLine = (message.split('\n')[0] ?? '').replace(/\/\/[^/\s@]*@/g, '//***@').trim();
  const text = firstLine === '' ? 'check failed' : firstLine;
  return text.length > maxErrorLength ? `${text.slice(0, maxErrorLength - 1)}…` : text;
}
