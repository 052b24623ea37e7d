import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { RequestParts } from '../../src/request-parts.ts';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

// The real parts, watched: every answered request lets go of what its context reached, and of its answer's data.
const released = vi.spyOn(RequestParts.prototype, 'release');
const answered = vi.spyOn(RequestParts.prototype, 'answersWith');

describe("a gateway's answered requests", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw?.close());
  beforeEach(() => {
    released.mockClear();
    answered.mockClear();
  });

  it("let go of their context's parts and their answer's data once the answer is sent, which arrives whole", async () => {
    const uscc = gw.world.enterprises[0]!.uscc;
    const data = expectNoGraphQLErrors(
      await gw.post<{ subject: { uscc: string; permits: unknown[] } }>(
        `query ($uscc: USCC!) { subject(uscc: $uscc) { uscc permits { status } } }`,
        { uscc },
      ),
    );
    expect(data.subject.uscc).toBe(uscc);
    expect(answered).toHaveBeenCalledTimes(1);
    const response = answered.mock.calls[0]![0];
    expect(released).toHaveBeenCalledTimes(1);
    expect(response.body).toBeUndefined();
  });

  it('let go of each request, one after another', async () => {
    for (let i = 0; i < 3; i += 1) {
      expectNoGraphQLErrors(await gw.post(`{ checkUscc(code: "91330100MA2B3C4D5E") { valid } }`));
    }
    expect(answered).toHaveBeenCalledTimes(3);
    expect(released).toHaveBeenCalledTimes(3);
  });
});
