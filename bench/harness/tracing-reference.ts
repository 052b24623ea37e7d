/**
 * Tracing's cost is measured by `npm run bench:tracing` (bench/tracing-overhead.ts), not here: it
 * needs two more gateways and an OTLP receiver, and a few minutes of its own. So that RESULTS.md
 * still states every target of issue 12, this copies the target table of bench/RESULTS-tracing.md
 * into it, saying where it comes from.
 */
import { existsSync, readFileSync } from 'node:fs';
import { newestTargetTable } from './loop-index-reference.ts';
import type { Report } from './report.ts';

const TRACING_RESULTS = new URL('../RESULTS-tracing.md', import.meta.url);

export function tracingReference(report: Report): void {
  report.heading('OpenTelemetry tracing (from `npm run bench:tracing`)');
  const table = existsSync(TRACING_RESULTS) ? newestTargetTable(readFileSync(TRACING_RESULTS, 'utf8')) : undefined;
  if (!table) {
    report.paragraph('bench/RESULTS-tracing.md holds no target table: run `npm run bench:tracing`.');
    return;
  }
  report.paragraph(
    'Not re-measured by this run. The target table of [`bench/RESULTS-tracing.md`](RESULTS-tracing.md), which says when and on which commit it was measured:',
  );
  report.paragraph(table);
}
