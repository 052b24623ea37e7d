/** Markdown for bench/RESULTS.md. */
export class Report {
  private readonly parts: string[] = [];
  readonly targets: Array<{ target: string; measured: string; met: boolean }> = [];

  heading(text: string): void {
    this.parts.push(`\n## ${text}\n`);
  }

  paragraph(text: string): void {
    this.parts.push(`${text}\n`);
  }

  table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): void {
    this.parts.push(
      [
        `| ${header.join(' | ')} |`,
        `|${header.map(() => '---').join('|')}|`,
        ...rows.map((r) => `| ${r.join(' | ')} |`),
      ].join('\n') + '\n',
    );
  }

  target(target: string, measured: string, met: boolean): void {
    this.targets.push({ target, measured, met });
  }

  render(preamble: string): string {
    const targets = [
      '| target | measured | met |',
      '|---|---|---|',
      ...this.targets.map((t) => `| ${t.target} | ${t.measured} | ${t.met ? 'met' : '**not met**'} |`),
    ].join('\n');
    return `${preamble}\n## Targets\n\n${targets}\n${this.parts.join('\n')}`;
  }
}
