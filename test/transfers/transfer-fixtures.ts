import { randomUUID } from 'node:crypto';
import type { World } from '../../simulators/world/model.ts';
import { isValidUscc } from '../../src/identifiers/uscc.ts';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import type { TestGateway } from '../support/gateway.ts';

/** The Anyang street team (the township-officer preset) and its township. */
export const ANYANG_TEAM = '330381001-ZFD';
export const ANYANG = '330381001';
/** The market regulation bureau (the industry-inspector preset). */
export const MARKET_REGULATION = '330381-SCJGJ';

/** A subject in Anyang and a penalty item delegated (赋权) there to Anyang's own team today. */
export function anyangClue(world: World, index = 0) {
  const items = world.powerItems.filter((item) =>
    item.delegations.some(
      (d) =>
        d.townshipCode === ANYANG && d.mode === 'DELEGATED' && d.authorityCode === ANYANG_TEAM && d.validUntil === null,
    ),
  );
  const subjects = world.enterprises.filter((e) => e.townshipCode === ANYANG && isValidUscc(e.uscc));
  return { powerItemCode: items[index % items.length]!.code, subject: subjects[index % subjects.length]!.uscc };
}

/** A penalty item the county keeps for Anyang, so no township team holds it there. */
export function countyRetainedItem(world: World): string {
  return world.powerItems.find((item) =>
    item.delegations.some((d) => d.townshipCode === ANYANG && d.mode === 'COUNTY_RETAINED' && d.validUntil === null),
  )!.code;
}

export const TRANSFER_FIELDS = `
  id status senderCode receiverCode routedBy subjectUscc townshipCode powerItemCode findings evidenceRefs inspectionId
  receivedOn answerDueOn extended answeredOn overdue answeredLate workingDaysToAnswer caseNo decisionNo
  sender { name } receiver { name kind }
  history { seq kind fromStatus toStatus authorityCode actor reason caseNo decisionNo note at }
  delivery { status attempts enforcementClueId }`;

export const TRANSFER_CLUE = `mutation ($input: TransferClueInput!, $key: String!) {
  transferClue(input: $input, idempotencyKey: $key) { replayed step { seq kind } transfer { ${TRANSFER_FIELDS} } } }`;

export const REPORT_STEP = `mutation ($input: TransferStepInput!, $key: String!) {
  reportTransferStep(input: $input, idempotencyKey: $key) { replayed step { seq kind fromStatus toStatus reason } transfer { ${TRANSFER_FIELDS} } } }`;

export const EXTEND = `mutation ($id: ID!, $reason: String!, $key: String!) {
  extendTransferDeadline(transferId: $id, reason: $reason, idempotencyKey: $key) { replayed step { seq kind } transfer { ${TRANSFER_FIELDS} } } }`;

export const READ_TRANSFER = `query ($id: ID!) { transfer(id: $id) { ${TRANSFER_FIELDS} } }`;

export interface TransferView {
  id: string;
  status: string;
  senderCode: string;
  receiverCode: string;
  routedBy: string;
  findings: string;
  receivedOn: string;
  answerDueOn: string;
  extended: boolean;
  answeredOn: string | null;
  overdue: boolean;
  workingDaysToAnswer: number | null;
  caseNo: string | null;
  decisionNo: string | null;
  sender: { name: string } | null;
  receiver: { name: string; kind: string } | null;
  history: Array<{
    seq: number;
    kind: string;
    fromStatus: string | null;
    toStatus: string;
    authorityCode: string;
    actor: string;
    reason: string | null;
    caseNo: string | null;
    decisionNo: string | null;
  }>;
  delivery: { status: string; attempts: number; enforcementClueId: string | null } | null;
}

export interface MutationOutcome {
  replayed: boolean;
  step: { seq: number; kind: string };
  transfer: TransferView;
}

/** Sends a clue as the market regulation inspector and returns the transfer. */
export async function sendClue(
  gw: TestGateway,
  input: Record<string, unknown>,
  key = randomUUID(),
): Promise<MutationOutcome> {
  const data = expectNoGraphQLErrors(
    await gw.post<{ transferClue: MutationOutcome }>(TRANSFER_CLUE, { input, key }, await gw.as('industry-inspector')),
  );
  return data.transferClue;
}

/** Reports a step as the Anyang team. */
export async function reportStep(
  gw: TestGateway,
  input: Record<string, unknown>,
  key = randomUUID(),
): Promise<MutationOutcome> {
  const data = expectNoGraphQLErrors(
    await gw.post<{ reportTransferStep: MutationOutcome }>(
      REPORT_STEP,
      { input, key },
      await gw.as('township-officer'),
    ),
  );
  return data.reportTransferStep;
}
