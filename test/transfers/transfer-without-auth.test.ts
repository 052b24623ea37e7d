import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { READ_TRANSFER, TRANSFER_CLUE, anyangClue } from './transfer-fixtures.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: false });
});
afterAll(() => gw?.close());

describe('clue transfers with authentication switched off', () => {
  it('refuses to send a clue, since nobody knows who the sender is', async () => {
    const { subject, powerItemCode } = anyangClue(gw.world, 0);
    const errors = expectGraphQLErrors(
      await gw.post(TRANSFER_CLUE, {
        input: { subject, powerItemCode, findings: 'x', evidenceRefs: [] },
        key: randomUUID(),
      }),
    );
    expect(errors[0]!.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'authentication-required' });
    expect(await gw.gateway.store.prisma.clueTransfer.count()).toBe(0);
  });

  it('refuses to show a transfer to an anonymous caller', async () => {
    const errors = expectGraphQLErrors(await gw.post(READ_TRANSFER, { id: randomUUID() }));
    expect(errors[0]!.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'authentication-required' });
  });
});
