/**
 * Some of issue 12's targets are measured by benchmarks of their own, not by `npm run bench`:
 * the loop index (`npm run bench:loop`: scale 100 needs PostgreSQL, half a million simulated
 * enterprises and a quarter of an hour) and tracing (`npm run bench:tracing`: two more gateways
 * and an OTLP receiver). So that RESULTS.md still states every target, it copies each one's newest
 * target table from its own results file, saying where it comes from.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Report } from './report.ts';

interface MeasuredApart {
  heading: string;
  /** The results file, relative to bench/harness/. */
  file: URL;
  /** Says what the quoted table is, before it. */
  introduction: string;
  /** Says how to fill the file, when it holds no table. */
  missing: string;
}

const MEASURED_APART: readonly MeasuredApart[] = [
  {
    heading: 'Loop index at county scale (from `npm run bench:loop`)',
    file: new URL('../RESULTS-loop.md', import.meta.url),
    introduction:
      'Not re-measured by this run. The newest target table of [`bench/RESULTS-loop.md`](RESULTS-loop.md), which says how, when and at what load each column was measured:',
    missing: 'bench/RESULTS-loop.md holds no target table: run `npm run bench:loop -- --scale 100 --database-url …`.',
  },
  {
    heading: 'OpenTelemetry tracing (from `npm run bench:tracing`)',
    file: new URL('../RESULTS-tracing.md', import.meta.url),
    introduction:
      'Not re-measured by this run. The target table of [`bench/RESULTS-tracing.md`](RESULTS-tracing.md), which says when and on which commit it was measured:',
    missing: 'bench/RESULTS-tracing.md holds no target table: run `npm run bench:tracing`.',
  },
];

export function targetsMeasuredApart(report: Report): void {
  for (const { heading, file, introduction, missing } of MEASURED_APART) {
    report.heading(heading);
    const table = existsSync(file) ? newestTargetTable(readFileSync(file, 'utf8')) : undefined;
    report.paragraph(table ? introduction : missing);
    if (table) report.paragraph(table);
  }
}

/** The first Markdown table after the file's first "Targets" heading (the files keep their newest run on top). */
export function newestTargetTable(markdown: string): string | undefined {
  const lines = markdown.split('\n');
  const heading = lines.findIndex((line) => /^#+ .*Targets/.test(line));
  if (heading < 0) return undefined;
  const start = lines.findIndex((line, i) => i > heading && line.startsWith('|'));
  if (start < 0) return undefined;
  const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}
