import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import { TransferStore } from '../../src/modules/transfers/transfer-store.ts';

/** A transfer stored as the sending mutation stores it, with its SENT step and its pending delivery; its id. */
export async function storedTransfer(prisma: PrismaClient): Promise<string> {
  const at = new Date();
  const transfer = await new TransferStore(prisma).create(
    {
      subjectUscc: '91330381MA2G2YEE23',
      townshipCode: '330381001',
      powerItemCode: '330381-CF-0001',
      findings: 'test',
      evidenceRefs: [],
      inspectionId: null,
      inspectionUnchecked: null,
      senderCode: `S-${randomUUID()}`,
      receiverCode: '330381001-ZFD',
      routedBy: 'DELEGATED',
      status: 'SENT',
      receivedOn: '2025-03-10',
      answerDueOn: '2025-03-17',
      extended: false,
      answeredOn: null,
      caseNo: null,
      decisionNo: null,
    },
    {
      kind: 'SENT',
      fromStatus: null,
      toStatus: 'SENT',
      actorSubject: 'test',
      actorAuthorityCode: 'S',
      at,
      reason: null,
      caseNo: null,
      decisionNo: null,
      note: null,
    },
  );
  return transfer.id;
}
