import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UnmappableFieldError } from '../mapping/index.ts';
import { openEnvelope } from '../transport/http-record-transport.ts';
import { compileMapping, pathGetter } from './compile-mapping.ts';
import type { AgencyProfile } from './profile-types.ts';

/**
 * A recorded sample: `{ "mapping": "<name>", "response": <a whole response body> }` (a batch
 * answer, a list page or a change-feed page, envelope included), or `records` instead of
 * `response` for raw records alone.
 */
interface Fixture {
  mapping: string;
  response?: unknown;
  records?: unknown[];
}

export type RecordOutcome =
  | { file: string; mapping: string; id: unknown; ok: true; mapped: unknown }
  | { file: string; mapping: string; id: unknown; ok: false; field: string | null; value: unknown; problem: string };

/** Maps every record of every fixture in `dir` with the profile, recording each success or failing field. */
export function checkFixtures(profile: AgencyProfile, dir: string): RecordOutcome[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
  if (files.length === 0) throw new Error(`no fixtures (*.json) in ${dir}`);
  return files.flatMap((name) => checkFixture(profile, join(dir, name), name));
}

function checkFixture(profile: AgencyProfile, path: string, file: string): RecordOutcome[] {
  const fixture = JSON.parse(readFileSync(path, 'utf8')) as Fixture;
  const spec = profile.mappings[fixture.mapping];
  if (!spec) throw new Error(`${file}: the profile has no mapping "${fixture.mapping}"`);
  const map = compileMapping(spec.fields, profile.codeTables ?? {});
  const idOf = pathGetter(spec.id);
  return recordsOf(profile, fixture, file).map((raw): RecordOutcome => {
    const base = { file, mapping: fixture.mapping, id: idOf(raw) };
    try {
      return { ...base, ok: true, mapped: map(raw) };
    } catch (error) {
      if (error instanceof UnmappableFieldError) {
        return { ...base, ok: false, field: error.field, value: error.value, problem: error.message };
      }
      return { ...base, ok: false, field: null, value: undefined, problem: String(error) };
    }
  });
}

/** The records of a recorded response: opened as the transport would, then a batch array or a page's items. */
function recordsOf(profile: AgencyProfile, fixture: Fixture, file: string): unknown[] {
  if (fixture.records) return fixture.records;
  const opened = openEnvelope(profile.transport.envelope)(fixture.response);
  if (!opened.ok) throw new Error(`${file}: the envelope reports a failure: ${opened.message}`);
  if (Array.isArray(opened.data)) return opened.data;
  for (const path of [profile.transport.paging.itemsPath, profile.transport.changeFeed.itemsPath]) {
    const items = pathGetter(path)(opened.data);
    if (Array.isArray(items)) return items;
  }
  throw new Error(`${file}: the response holds neither a batch array nor a page of records`);
}

/** One line per record, as `npm run profile:check` prints them. */
export function describeOutcome(outcome: RecordOutcome): string {
  const where = `${outcome.file} ${outcome.mapping} ${JSON.stringify(outcome.id ?? null)}`;
  if (outcome.ok) return `ok    ${where} → ${JSON.stringify(outcome.mapped)}`;
  const field = outcome.field === null ? '' : ` field ${outcome.field} = ${JSON.stringify(outcome.value ?? null)}:`;
  return `FAIL  ${where}${field} ${outcome.problem}`;
}
