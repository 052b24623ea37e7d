import type { ConnectorLogger } from '../../src/connectors/index.ts';

/** A logger that keeps what was warned, so tests can check what operators would see. */
export function recordingLogger(): ConnectorLogger & { warnings: unknown[] } {
  const warnings: unknown[] = [];
  return {
    warnings,
    warn: (entry: unknown) => {
      warnings.push(entry);
    },
    debug: () => undefined,
  };
}
