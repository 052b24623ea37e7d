import { badRequest } from '../server/sim-error.ts';
import type { ResourceStore } from '../server/resource-store.ts';
import type { WorldClue } from '../world/model.ts';

/**
 * `POST /zf/api/CLUE/SUBMIT`: another authority's clue transfer (部门移送) written into the case
 * system. Idempotent on EXTERNAL_ID (the sender's own transfer id): a redelivery answers with
 * the clue made the first time and CREATED 0, never a second clue.
 */
export class ClueSubmissions {
  private readonly byExternalId = new Map<string, string>();
  private readonly nextSeq = new Map<number, number>();

  constructor(
    private readonly clues: ResourceStore<WorldClue>,
    existing: readonly WorldClue[],
  ) {
    for (const clue of existing) {
      const match = /^XS(\d{4})(\d{6})$/.exec(clue.id);
      if (!match) continue;
      const year = Number(match[1]);
      this.nextSeq.set(year, Math.max(this.nextSeq.get(year) ?? 1, Number(match[2]) + 1));
    }
  }

  submit(body: unknown): { CLUE_ID: string; CREATED: 0 | 1 } {
    const input = readSubmission(body);
    const known = this.byExternalId.get(input.externalId);
    if (known) return { CLUE_ID: known, CREATED: 0 };
    const updatedAt = this.clues.nextUpdateTime();
    const year = new Date(updatedAt + 8 * 3_600_000).getUTCFullYear();
    const seq = this.nextSeq.get(year) ?? 1;
    this.nextSeq.set(year, seq + 1);
    const id = `XS${year}${String(seq).padStart(6, '0')}`;
    this.clues.insert({
      id,
      source: 'DEPARTMENT_TRANSFER',
      inspectionId: input.inspectionId,
      subjectUscc: input.subjectUscc,
      powerItemCode: input.itemCode,
      senderCode: input.senderOrg,
      receiverCode: input.receiverOrg,
      townshipCode: input.regionCode,
      receivedAt: input.sendTime,
      respondedAt: null,
      status: 'RECEIVED',
      caseNo: null,
      informantName: null,
      informantPhone: null,
      updatedAt,
    });
    this.byExternalId.set(input.externalId, id);
    return { CLUE_ID: id, CREATED: 1 };
  }
}

interface Submission {
  externalId: string;
  subjectUscc: string;
  itemCode: string;
  senderOrg: string;
  receiverOrg: string;
  regionCode: string;
  inspectionId: string | null;
  sendTime: number;
}

function readSubmission(body: unknown): Submission {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('body must be a JSON object');
  const fields = body as Record<string, unknown>;
  const required = (name: string): string => {
    const value = fields[name];
    if (typeof value !== 'string' || value.trim() === '') throw badRequest(`${name} is required (a non-empty string)`);
    return value;
  };
  const inspectionId = fields['INSPECTION_ID'];
  if (inspectionId !== undefined && inspectionId !== null && typeof inspectionId !== 'string')
    throw badRequest('INSPECTION_ID must be a string or null');
  const sendTime = fields['SEND_TIME'];
  if (typeof sendTime !== 'number' || !Number.isInteger(sendTime) || sendTime <= 0)
    throw badRequest('SEND_TIME must be epoch milliseconds');
  return {
    externalId: required('EXTERNAL_ID'),
    subjectUscc: required('SUBJECT_USCC'),
    itemCode: required('ITEM_CODE'),
    senderOrg: required('SENDER_ORG'),
    receiverOrg: required('RECEIVER_ORG'),
    regionCode: required('REGION_CODE'),
    inspectionId: (inspectionId as string | null | undefined) ?? null,
    sendTime,
  };
}
