const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * On SIGINT or SIGTERM, runs `stop` once and exits 0 when it is done; exits 1 if it fails or has
 * not finished within `graceMs`, so an orchestrator sees a stop that was not clean. Listeners stay
 * installed: a repeated signal while stopping changes nothing instead of killing the process
 * mid-drain (with no listener left, Node — and tsx's wrapper — would end it with 128 + signal).
 */
export function exitOnSignals(stop: () => Promise<void>, graceMs: number): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const overrun = setTimeout(() => {
      process.stderr.write(`shutdown on ${signal} did not finish within ${graceMs} ms; exiting\n`);
      process.exit(1);
    }, graceMs);
    overrun.unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown on ${signal} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
}
