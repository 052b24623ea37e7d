import { ERROR_CODES, FORBIDDEN_RULES, WARNING_CODES } from './error-catalogue.ts';

export const TABLE_START = '<!-- error-catalogue:start (npm run docs:errors writes this from src/errors/) -->';
export const TABLE_END = '<!-- error-catalogue:end -->';

/** The README's error tables, written from the catalogue so the two cannot disagree. */
export function renderErrorTables(): string {
  const codes = Object.entries(ERROR_CODES).map(
    ([code, entry]) => `| \`${code}\` | ${entry.status} | ${entry.retry ? 'yes' : 'no'} | ${entry.meaning} |`,
  );
  const warnings = Object.entries(WARNING_CODES).map(([code, meaning]) => `| \`${code}\` | ${meaning} |`);
  const rules = Object.entries(FORBIDDEN_RULES).map(([rule, meaning]) => `| \`${rule}\` | ${meaning} |`);
  return [
    TABLE_START,
    '',
    '| `extensions.code` | HTTP status | retry | meaning |',
    '|---|---|---|---|',
    ...codes,
    '',
    '| `FORBIDDEN` rule (`extensions.rule`) | meaning |',
    '|---|---|',
    ...rules,
    '',
    '| warning (`extensions.warnings[].code`) | meaning |',
    '|---|---|',
    ...warnings,
    '',
    TABLE_END,
  ].join('\n');
}

/** The README text with its error tables replaced by freshly rendered ones. */
export function withErrorTables(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${TABLE_START} … ${TABLE_END} section`);
  return readme.slice(0, start) + renderErrorTables() + readme.slice(end + TABLE_END.length);
}
