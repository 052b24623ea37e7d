import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Report } from '../../bench/harness/report.ts';
import { newestTargetTable, targetsMeasuredApart } from '../../bench/harness/targets-measured-apart.ts';

describe('the benchmark report quoting the loop index targets', () => {
  it('takes the first table after the first Targets heading, and nothing after it', () => {
    const markdown = [
      '# Loop index',
      '| not | this |',
      '### Targets',
      'text',
      '| target | scale 100 |',
      '|---|---|',
      '| sync | 31,702 — met |',
      '',
      '### Targets (older run)',
      '| target | old |',
    ].join('\n');
    expect(newestTargetTable(markdown)).toBe('| target | scale 100 |\n|---|---|\n| sync | 31,702 — met |');
  });

  it('finds nothing in a file without a Targets heading', () => {
    expect(newestTargetTable('# Loop index\n| a | b |\n')).toBeUndefined();
  });

  it('finds every issue 12 loop target in the committed results', () => {
    const table = newestTargetTable(readFileSync(new URL('../../bench/RESULTS-loop.md', import.meta.url), 'utf8'));
    expect(table).toMatch(/sync ≥ 20,000/);
    expect(table).toMatch(/loopGaps/);
    expect(table).toMatch(/authorityPerformance/);
  });
});

describe('the benchmark report quoting the tracing target', () => {
  it('finds the tracing target, met or not, in the committed results', () => {
    const table = newestTargetTable(readFileSync(new URL('../../bench/RESULTS-tracing.md', import.meta.url), 'utf8'));
    expect(table).toMatch(/Tracing on .* ≤ 5% of the lifecycle's req\/s.* \| (met|\*\*not met\*\*) \|/);
  });

  it('copies the committed tracing target into the report, saying where it comes from', () => {
    const report = new Report();
    targetsMeasuredApart(report);
    expect(report.render('')).toMatch(/## OpenTelemetry tracing \(from `npm run bench:tracing`\)/);
    expect(report.render('')).toMatch(/\| Tracing on .* \| (met|\*\*not met\*\*) \|/);
  });
});
