import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLoaders, type LoaderDependencies } from '../../src/modules/subjects/create-loaders.ts';
import type * as LoadersModule from '../../src/modules/subjects/create-loaders.ts';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

// The real loaders, counted: a request pays for building them only if it reads an agency.
vi.mock('../../src/modules/subjects/create-loaders.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof LoadersModule>();
  return { ...actual, createLoaders: vi.fn((dependencies: LoaderDependencies) => actual.createLoaders(dependencies)) };
});

const loadersBuilt = () => vi.mocked(createLoaders).mock.calls.length;

describe('the per-request loaders', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw?.close());
  beforeEach(() => {
    vi.mocked(createLoaders).mockClear();
  });

  it('are not built for a request that reads no agency, although Apollo copies the context', async () => {
    const data = expectNoGraphQLErrors(
      await gw.post<{ checkUscc: { valid: boolean } }>(`{ checkUscc(code: "91330100MA2B3C4D5E") { valid } }`),
    );
    expect(typeof data.checkUscc.valid).toBe('boolean');
    expect(loadersBuilt()).toBe(0);
  });

  it('are built once for a request that reads agencies through several resolvers', async () => {
    const uscc = gw.world.enterprises[0]!.uscc;
    const data = expectNoGraphQLErrors(
      await gw.post<{ subject: { uscc: string; permits: unknown[]; inspections: unknown[] } }>(
        `query ($uscc: USCC!) { subject(uscc: $uscc) { uscc permits { status } inspections { id } } }`,
        { uscc },
      ),
    );
    expect(data.subject.uscc).toBe(uscc);
    expect(loadersBuilt()).toBe(1);
  });
});
