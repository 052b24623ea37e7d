import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aSigningKey, bearer, TokenBuilder, type SigningKey } from '../auth/token-builder.ts';
import { postGraphQL } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

const ISSUER = 'https://idp.zj.gov.cn';
const INTROSPECTION = '{ __schema { queryType { name } } }';
const INTROSPECTION_IN_A_FRAGMENT =
  'query { ...peek } fragment peek on Query { __type(name: "Subject") { fields { name } } }';
const MISSPELLED = '{ subjects(first: 1) { nodes { nam } } }';

describe('the schema outside the demo (a real issuer configured)', () => {
  let gw: TestGateway;
  let key: SigningKey;
  const tokenFor = async (roles: string[]) => ({
    authorization: bearer(await TokenBuilder.for(ISSUER).with({ roles }).signedWith(key)),
  });

  beforeAll(async () => {
    key = await aSigningKey();
    gw = await startTestGateway({
      authRequired: true,
      env: { AUTH_ISSUERS: JSON.stringify([{ issuer: ISSUER, keys: [key.publicJwk] }]) },
    });
  });
  afterAll(() => gw?.close());

  it('refuses introspection to a caller who is not an administrator, with 403 and FORBIDDEN', async () => {
    const response = await postGraphQL(gw.url, INTROSPECTION, undefined, await tokenFor(['ANALYST']));
    expect(response.status).toBe(403);
    expect(response.body.data?.__schema).toBeUndefined();
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'introspection' });
  });

  it('refuses introspection hidden in a fragment too', async () => {
    const response = await postGraphQL(gw.url, INTROSPECTION_IN_A_FRAGMENT, undefined, await tokenFor(['OFFICER']));
    expect(response.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('lets an administrator introspect', async () => {
    const response = await postGraphQL<{ __schema: { queryType: { name: string } } }>(
      gw.url,
      INTROSPECTION,
      undefined,
      await tokenFor(['ADMIN']),
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.__schema.queryType.name).toBe('Query');
  });

  it('still answers __typename to anyone', async () => {
    const response = await postGraphQL<{ __typename: string }>(
      gw.url,
      '{ __typename }',
      undefined,
      await tokenFor(['ANALYST']),
    );
    expect(response.body.data?.__typename).toBe('Query');
  });

  it('drops "Did you mean" hints from validation errors for non-administrators, and keeps them for administrators', async () => {
    const analyst = await postGraphQL(gw.url, MISSPELLED, undefined, await tokenFor(['ANALYST']));
    expect(analyst.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(analyst.body.errors?.[0]?.message).toContain('Cannot query field "nam"');
    expect(analyst.body.errors?.[0]?.message).not.toContain('Did you mean');

    const admin = await postGraphQL(gw.url, MISSPELLED, undefined, await tokenFor(['ADMIN']));
    expect(admin.body.errors?.[0]?.message).toContain('Did you mean "name"');
  });

  it('drops them from the errors of variables too, which name input fields and enum values', async () => {
    const misspelledFilter =
      'query Find($filter: SubjectFilter) { subjects(filter: $filter, first: 1) { totalCount } }';
    const variables = { filter: { nameContain: '服饰' } };
    const analyst = await postGraphQL(gw.url, misspelledFilter, variables, await tokenFor(['ANALYST']));
    expect(analyst.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(analyst.body.errors?.[0]?.message).toContain('Field "nameContain" is not defined by type "SubjectFilter".');
    expect(analyst.body.errors?.[0]?.message).not.toContain('Did you mean');

    const admin = await postGraphQL(gw.url, misspelledFilter, variables, await tokenFor(['ADMIN']));
    expect(admin.body.errors?.[0]?.message).toContain('Did you mean "nameContains"');
  });
});

describe('the schema in the demo (only the local demo issuer trusted)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ authRequired: true });
  });
  afterAll(() => gw?.close());

  it('lets any authenticated caller introspect, so the IDE can explore it', async () => {
    const response = await gw.post<{ __schema: { queryType: { name: string } } }>(
      INTROSPECTION,
      undefined,
      await gw.as('county-analyst'),
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.__schema.queryType.name).toBe('Query');
  });
});
