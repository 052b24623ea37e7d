import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

// Once any AsyncLocalStorage runs, Node 20 runs promise hooks for every promise in the process:
// a measurable share of a small request's CPU (bench/RESULTS-fixedcost.notes.md). Per-request
// state is handed over explicitly instead; only tracing, when switched on, brings its own scope.
describe('a gateway with tracing off', () => {
  let gw: TestGateway;
  let uscc: string;
  beforeAll(async () => {
    gw = await startTestGateway();
    const response = await gw.post<{ subjects: { nodes: Array<{ uscc: string }> } }>(
      `{ subjects(first: 1, filter: { usccValid: true }) { nodes { uscc } } }`,
    );
    uscc = expectNoGraphQLErrors(response).subjects.nodes[0]!.uscc;
  }, 180_000);
  afterAll(() => gw?.close());

  it('opens no AsyncLocalStorage scope while answering a request that reads every agency', async () => {
    const run = vi.spyOn(AsyncLocalStorage.prototype, 'run');
    const enterWith = vi.spyOn(AsyncLocalStorage.prototype, 'enterWith');
    try {
      const checked = await gw.post<{ checkUscc: { valid: boolean } }>(
        `query ($uscc: String!) { checkUscc(code: $uscc) { valid } }`,
        { uscc },
      );
      expect(expectNoGraphQLErrors(checked).checkUscc.valid).toBe(true);
      const read = await gw.post<{ subject: { permits: unknown[] } }>(
        `query ($uscc: USCC!) { subject(uscc: $uscc) { name permits { permitNo } inspections { id } cases { caseNo } credit { grade } } }`,
        { uscc },
      );
      expect(expectNoGraphQLErrors(read).subject).not.toBeNull();
      expect(run).not.toHaveBeenCalled();
      expect(enterWith).not.toHaveBeenCalled();
    } finally {
      run.mockRestore();
      enterWith.mockRestore();
    }
  });
});
