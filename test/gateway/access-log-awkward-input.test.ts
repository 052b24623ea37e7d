import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/modules/audit/access-log-verify.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
});
afterAll(() => gw?.close());

/** Strings that broke or could break a hash chain over what a caller sent. */
const AWKWARD = [
  'ABC\uD800DEF', // a lone high surrogate: valid JSON, not encodable in UTF-8
  '\uDFFFtail', // a lone low surrogate
  'a\u0000b', // NUL: PostgreSQL text cannot hold it
  '\u202E\u200Fevil\u202C', // right-to-left override and mark
  '𠀋𡈽😀', // 4-byte UTF-8 characters (surrogate pairs in UTF-16)
  'x'.repeat(20_000), // far longer than any index entry may be
  '瑞综执立〔2026〕7号'.repeat(300),
];

/** Purpose headers as a client might send them, percent-encoded or not, valid or not. */
function purposeHeaders(text: string): string[] {
  const wellFormed = !/[\uD800-\uDFFF]/.test(text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));
  return [...(wellFormed ? [encodeURIComponent(text)] : []), '%E0%A4%A', '%ED%A0%80', '%00', '%C0%AF'];
}

async function post(body: Record<string, unknown>, headers: Record<string, string>): Promise<number> {
  const response = await fetch(`${gw.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('the access log under awkward input', () => {
  it(
    'stays a verifiable chain whatever strings reach the purpose header, the operation name, the arguments and the identifiers',
    { timeout: 120_000 },
    async () => {
      const before = await gw.gateway.store.prisma.accessLogEntry.count();
      const statuses: number[] = [];
      for (const text of AWKWARD) {
        const headers = await gw.as('county-enforcement');
        for (const purpose of purposeHeaders(text)) {
          statuses.push(await post({ query: '{ __typename }' }, { ...headers, 'x-purpose': purpose }));
        }
        statuses.push(await post({ query: 'query Q { __typename }', operationName: text }, headers));
        statuses.push(
          await post(
            { query: 'query ($s: String!) { subjectByIdentifier(identifier: $s) { name } }', variables: { s: text } },
            headers,
          ),
        );
        statuses.push(
          await post({ query: 'query ($u: USCC!) { subject(uscc: $u) { name } }', variables: { u: text } }, headers),
        );
        statuses.push(
          await post(
            {
              query: 'query ($f: SubjectFilter) { subjects(filter: $f) { totalCount } }',
              variables: { f: { nameContains: text, townshipCode: text } },
            },
            headers,
          ),
        );
      }
      // Every request was answered or refused as the caller's fault; none failed the gateway.
      expect(statuses.filter((status) => status >= 500)).toEqual([]);
      expect(await gw.gateway.store.prisma.accessLogEntry.count()).toBeGreaterThan(before + AWKWARD.length * 4);
      expect(await verifyChain(gw.gateway.store.prisma)).toMatchObject({ ok: true });
    },
  );
});
