import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

/**
 * An operation of a type the schema has no root for is a document that does not fit the schema:
 * refused 400 GRAPHQL_VALIDATION_FAILED before anything runs, not answered as a fault of the gateway.
 */
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
});
afterAll(() => gw?.close());

describe('an operation type the gateway does not answer', () => {
  it.each(['subscription { __typename }', 'subscription Watch { subject(uscc: "91330381MA2G2YEE23") { name } }'])(
    'refuses %s with 400 GRAPHQL_VALIDATION_FAILED',
    async (document) => {
      const answer = await gw.post(document, undefined, await gw.as('county-analyst'));
      expect(answer.status).toBe(400);
      expect(answer.body.data).toBeUndefined();
      expect(answer.body.errors).toEqual([
        {
          message: 'This gateway answers no subscription operations.',
          locations: [{ line: 1, column: 1 }],
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ]);
    },
  );
});
