import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getIntrospectionQuery, type IntrospectionQuery } from 'graphql';
import { loadConfig, OPTIONAL_MODULES } from '../../src/platform/config.ts';
import { allModuleSchemas } from '../../src/resolvers/index.ts';
import { buildSchema } from '../../src/schema.ts';
import { WEBHOOK_JWKS_PATH } from '../../src/modules/events/webhook-signature.ts';
import { expectGraphQLErrors, expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

function rootFields(schema: IntrospectionQuery, root: 'Query' | 'Mutation'): string[] {
  const type = schema.__schema.types.find((candidate) => candidate.name === root);
  return type && 'fields' in type ? (type.fields ?? []).map((field) => field.name) : [];
}

describe('a gateway with transfers and events switched off (MODULES_DISABLED)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ env: { MODULES_DISABLED: 'transfers, events' } });
  });
  afterAll(() => gw?.close());

  it('has none of their root fields in the schema it serves', async () => {
    const schema = expectNoGraphQLErrors(await gw.post<IntrospectionQuery>(getIntrospectionQuery()));
    const query = rootFields(schema, 'Query');
    const mutation = rootFields(schema, 'Mutation');
    expect(query).not.toContain('transfer');
    expect(query).not.toContain('transfers');
    expect(query).not.toContain('eventSubscriptions');
    expect(mutation).not.toContain('transferClue');
    expect(mutation).not.toContain('createEventSubscription');
    // The rest is all there: the read model, administration and the loop.
    expect(query).toEqual(expect.arrayContaining(['subject', 'subjects', 'grants', 'loopGaps', 'creditCheck']));
    expect(mutation).toContain('createGrant');
  });

  it('refuses an operation on a switched-off field as invalid, before any resolver runs', async () => {
    const response = await gw.post(`{ transfers { id } }`);
    const [error] = expectGraphQLErrors(response);
    expect(error?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(error?.message).toMatch(/Cannot query field "transfers" on type "Query"/);
  });

  it('still answers the rest, and serves no webhook key', async () => {
    const uscc = gw.world.enterprises[0]!.uscc;
    const data = expectNoGraphQLErrors(
      await gw.post<{ subject: { uscc: string } }>(`query ($uscc: USCC!) { subject(uscc: $uscc) { uscc } }`, { uscc }),
    );
    expect(data.subject.uscc).toBe(uscc);
    expect((await fetch(`${gw.url}${WEBHOOK_JWKS_PATH}`)).status).toBe(404);
    expect((await fetch(`${gw.url}/readyz`)).status).toBe(200);
  });
});

describe('switching modules off', () => {
  it('builds a valid schema with any one optional module left out', () => {
    for (const name of OPTIONAL_MODULES) {
      const kept = allModuleSchemas.filter((module) => !module.typeDefs.some((sdl) => sdl.includes(marker[name])));
      expect(kept.length, name).toBe(allModuleSchemas.length - 1);
      expect(() => buildSchema(kept), name).not.toThrow();
    }
  });

  it('refuses a name that is not a module that can be switched off, naming those that can', () => {
    expect(() => loadConfig({ MODULES_DISABLED: 'transfers,subjects' })).toThrow(
      /MODULES_DISABLED[\s\S]*events, transfers, loop, sharing-requests, credit-check/,
    );
  });

  it('reads a list with spaces and empty entries', () => {
    expect([...loadConfig({ MODULES_DISABLED: ' loop, ,credit-check ' }).modulesDisabled]).toEqual([
      'loop',
      'credit-check',
    ]);
  });
});

/** A root field only each optional module's SDL declares, to find its part of the schema. */
const marker: Record<(typeof OPTIONAL_MODULES)[number], string> = {
  events: 'eventSubscriptions(',
  transfers: 'transferClue(',
  loop: 'loopGaps(',
  'sharing-requests': 'submitSharingRequest(',
  'credit-check': 'creditChecks(',
};
