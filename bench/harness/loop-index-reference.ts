/**
 * The loop index's targets are measured by `npm run bench:loop` (bench/loop-index.ts), not here:
 * scale 100 needs PostgreSQL, half a million simulated enterprises and a quarter of an hour of its
 * own. So that RESULTS.md still states every target of issue 12, this copies the newest target
 * table of bench/RESULTS-loop.md into it, saying where it comes from.
 */
import { readFileSync } from 'node:fs';
import type { Report } from './report.ts';

const LOOP_RESULTS = new URL('../RESULTS-loop.md', import.meta.url);

export function loopIndexReference(report: Report): void {
  report.heading('Loop index at county scale (from `npm run bench:loop`)');
  const table = newestTargetTable(readFileSync(LOOP_RESULTS, 'utf8'));
  if (!table) {
    report.paragraph(
      'bench/RESULTS-loop.md holds no target table: run `npm run bench:loop -- --scale 100 --database-url …`.',
    );
    return;
  }
  report.paragraph(
    'Not re-measured by this run. The newest target table of [`bench/RESULTS-loop.md`](RESULTS-loop.md), which says how, when and at what load each column was measured:',
  );
  report.paragraph(table);
}

/** The first Markdown table after the file's first "Targets" heading (the file keeps its newest run on top). */
export function newestTargetTable(markdown: string): string | undefined {
  const lines = markdown.split('\n');
  const heading = lines.findIndex((line) => /^#+ .*Targets/.test(line));
  if (heading < 0) return undefined;
  const start = lines.findIndex((line, i) => i > heading && line.startsWith('|'));
  if (start < 0) return undefined;
  const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}
