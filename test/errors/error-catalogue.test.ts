import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, FORBIDDEN_RULES, renderErrorTables, WARNING_CODES } from '../../src/errors/index.ts';
import { WEBHOOK_URL_REFUSAL_REASONS } from '../../src/modules/events/webhook-url-refusal.ts';

const SRC = new URL('../../src/', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'generated') return [];
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every string literal the code uses as an error code or a refusal rule. */
function literals(pattern: RegExp): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sourceFiles(SRC))
    for (const match of readFileSync(file, 'utf8').matchAll(pattern)) found.set(match[1]!, file.slice(SRC.length));
  return found;
}

// Node's own system error codes (ENOTFOUND, …) are matched on, never answered.
const isNodeSystemCode = (code: string) => /^E[A-Z]+$/.test(code);

describe('the error catalogue', () => {
  it('lists every extensions.code the source raises or passes through', () => {
    const raised = literals(/(?:code:|code =|refuse\(res, \d+,)\s*'([A-Z][A-Z_]+)'/g);
    expect(raised.size).toBeGreaterThan(10);
    const missing = [...raised].filter(
      ([code]) => !isNodeSystemCode(code) && !(code in ERROR_CODES) && !(code in WARNING_CODES),
    );
    expect(missing, 'codes raised but not in src/errors/error-catalogue.ts').toEqual([]);
  });

  it('lists every FORBIDDEN rule the source gives', () => {
    const rules = literals(/rule: '([a-z-]+)'/g);
    // A rule passed as an argument is typed by a union of its literals (`rule: 'not-a-party' | 'receiver-only'`).
    for (const [union, file] of literals(/rule\??: ('[a-z-]+'(?:\s*\|\s*'[a-z-]+')+)/g))
      for (const [, rule] of union.matchAll(/'([a-z-]+)'/g)) rules.set(rule!, file);
    expect(rules.size).toBeGreaterThan(5);
    expect([...rules].filter(([rule]) => !(rule in FORBIDDEN_RULES))).toEqual([]);
  });

  it('names every reason a webhook URL is refused for under BAD_USER_INPUT', () => {
    const meaning = ERROR_CODES.BAD_USER_INPUT.meaning;
    expect(meaning).toContain('`argument: webhookUrl`');
    expect(WEBHOOK_URL_REFUSAL_REASONS.filter((reason) => !meaning.includes(`\`${reason}\``))).toEqual([]);
  });

  it('gives each code an HTTP status and a meaning', () => {
    for (const [code, entry] of Object.entries(ERROR_CODES)) {
      expect([200, 400, 401, 403, 404, 408, 412, 413, 416, 429, 431, 500, 503], code).toContain(entry.status);
      expect(entry.meaning.length, code).toBeGreaterThan(20);
    }
  });

  it('is the README’s table, word for word (npm run docs:errors rewrites it)', () => {
    const squash = (text: string) =>
      text
        .split('\n')
        .map((line) => line.replace(/\s*\|\s*/g, '|').replace(/\|-+(?=\|)/g, '|-'))
        .filter((line) => line.trim() !== '')
        .join('\n');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const rendered = renderErrorTables();
    const start = readme.indexOf(rendered.split('\n')[0]!);
    const end = readme.indexOf('<!-- error-catalogue:end -->');
    expect(start).toBeGreaterThan(0);
    expect(squash(readme.slice(start, end))).toBe(squash(rendered.slice(0, rendered.lastIndexOf('\n<!--'))));
  });
});
