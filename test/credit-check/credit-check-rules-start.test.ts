import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startGateway } from '../../src/gateway.ts';
import { BUNDLED_CREDIT_CHECK_RULES_PATH } from '../../src/modules/credit-check/index.ts';
import { loadConfig } from '../../src/platform/config.ts';

const folder = mkdtempSync(join(tmpdir(), 'credit-rules-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The bundled rules with the given rules' `reveals` replaced, written to a file of their own. */
function rulesFileRevealing(changes: Record<number, string[]>): string {
  const data = JSON.parse(readFileSync(BUNDLED_CREDIT_CHECK_RULES_PATH, 'utf8')) as {
    rules: Array<Record<string, unknown>>;
  };
  for (const [index, reveals] of Object.entries(changes)) data.rules[Number(index)]!.reveals = reveals;
  const path = join(folder, `rules-${Object.keys(changes).join('-')}.json`);
  writeFileSync(path, JSON.stringify(data));
  return path;
}

function configWithRules(path: string) {
  return loadConfig({
    PORT: '0',
    DATA_DIR: 'memory://',
    LOG_LEVEL: 'silent',
    // Unreachable agencies: the start must stop at the rules, not for want of an agency.
    APPROVAL_URL: 'http://127.0.0.1:9',
    SUPERVISION_URL: 'http://127.0.0.1:9',
    ENFORCEMENT_URL: 'http://127.0.0.1:9',
    CREDIT_URL: 'http://127.0.0.1:9',
    UPSTREAM_RETRIES: '0',
    REGISTRY_SYNC_INTERVAL_MS: String(3_600_000),
    LOOP_INDEX_SYNC_INTERVAL_MS: '0',
    CREDIT_CHECK_RULES_PATH: path,
  });
}

describe('a credit-check rules file whose rule reveals a field the schema does not have', () => {
  it('stops the start, naming the file, the rule and each unknown field', { timeout: 60_000 }, async () => {
    const path = rulesFileRevealing({
      2: ['Subject.penalties', 'Penalty.executionStatuss'],
      4: ['Subject.credit', 'Grade.letter'],
    });
    const start = startGateway(configWithRules(path));
    await expect(start).rejects.toThrow(`Invalid credit-check rules ${path}`);
    await expect(start).rejects.toThrow(
      /rules\.2\.reveals: Penalty\.executionStatuss is not a field of the schema\n[\s\S]*rules\.4\.reveals: Grade\.letter is not a field of the schema/,
    );
  });

  it('stops the start when a revealed field is not a schema coordinate at all', { timeout: 60_000 }, async () => {
    const path = rulesFileRevealing({ 0: ['credit.dishonesty'] });
    await expect(startGateway(configWithRules(path))).rejects.toThrow(
      /rules\.0\.reveals\.0: must be a schema coordinate such as Penalty\.executionStatus/,
    );
  });
});
