import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleQuery } from '../../src/example-query.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
});
afterAll(async () => {
  await gw?.close();
});

describe("a newcomer's first five minutes", () => {
  it("gets an answer without errors from the IDE's pre-filled query sent with its pre-filled token", async () => {
    const page = await (await fetch(`${gw.url}/graphql`, { headers: { accept: 'text/html' } })).text();
    const configJson = /<script type="application\/json" id="graphiql-config">([\s\S]*?)<\/script>/.exec(page)?.[1];
    expect(configJson).toBeDefined();
    const config = JSON.parse(configJson ?? '{}') as { exampleQuery: string; defaultHeaders: string };
    expect(config.exampleQuery).toBe(exampleQuery);
    const headers = JSON.parse(config.defaultHeaders) as Record<string, string>;
    const answer = await gw.post<{ subject: { permits: { inspections: { clues: unknown[] }[] }[] } }>(
      config.exampleQuery,
      undefined,
      headers,
    );
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.subject.permits[0]?.inspections[0]?.clues.length).toBeGreaterThan(0);
  });

  it('would have answered FORBIDDEN to the analyst that used to be pre-filled, which is why the preset changed', async () => {
    const answer = await gw.post(exampleQuery, undefined, await gw.as('county-analyst'));
    expect(answer.body.errors?.map((error) => error.extensions?.rule)).toContain('purpose-required');
  });
});
