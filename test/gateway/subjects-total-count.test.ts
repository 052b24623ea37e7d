import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw?.close());

interface Answer {
  subjects: { totalCount?: number; nodes: Array<{ uscc: string }> };
}

// The registry counts only when totalCount is selected; however it is selected, it must be counted.
describe('subjects totalCount', () => {
  const filter = '{ townshipCode: "330381011" }';

  it('is the same whether selected directly, through a fragment or an inline fragment', async () => {
    const direct = expectNoGraphQLErrors(
      await gw.post<Answer>(`{ subjects(first: 3, filter: ${filter}) { totalCount nodes { uscc } } }`),
    );
    const fragment = expectNoGraphQLErrors(
      await gw.post<Answer>(
        `{ subjects(first: 3, filter: ${filter}) { ...Count nodes { uscc } } } fragment Count on SubjectConnection { totalCount }`,
      ),
    );
    const inline = expectNoGraphQLErrors(
      await gw.post<Answer>(
        `{ subjects(first: 3, filter: ${filter}) { ... on SubjectConnection { totalCount } nodes { uscc } } }`,
      ),
    );
    const inTheWorld = gw.world.enterprises.filter((e) => e.townshipCode === '330381011').length;
    expect(direct.subjects.totalCount).toBe(inTheWorld);
    expect(fragment.subjects.totalCount).toBe(inTheWorld);
    expect(inline.subjects.totalCount).toBe(inTheWorld);
  });

  it('returns the same page when totalCount is not selected', async () => {
    const withCount = expectNoGraphQLErrors(
      await gw.post<Answer>(`{ subjects(first: 3, filter: ${filter}) { totalCount nodes { uscc } } }`),
    );
    const without = expectNoGraphQLErrors(
      await gw.post<Answer>(`{ subjects(first: 3, filter: ${filter}) { nodes { uscc } } }`),
    );
    expect(without.subjects.nodes).toEqual(withCount.subjects.nodes);
    expect(without.subjects).not.toHaveProperty('totalCount');
  });
});
