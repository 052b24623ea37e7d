import type { ResilientHttpClient } from '../http/index.ts';
import { objectPayload } from '../mapping/index.ts';
import type { ClueSubmission, SubmittedClue } from './enforcement-connector.ts';

/**
 * The one thing `profiles/enforcement.yaml` cannot say: writing a transferred clue (部门移送)
 * into the case system. Profiles describe reads only; this write has its own body, its own
 * answer and one promise a profile has no words for: it is a POST that is safe to repeat,
 * because the case system keeps one clue per EXTERNAL_ID (the gateway's transfer id).
 */
export class ClueSubmissionWrite {
  /** `http` is the profile transport's own client, so reads and this write share one breaker and bulkhead. */
  constructor(private readonly http: ResilientHttpClient) {}

  async submit(submission: ClueSubmission): Promise<SubmittedClue> {
    const answer = await this.http.call({
      operation: 'clue.submit',
      method: 'POST',
      path: '/zf/api/CLUE/SUBMIT',
      body: {
        EXTERNAL_ID: submission.transferId,
        SUBJECT_USCC: submission.subjectUscc,
        ITEM_CODE: submission.powerItemCode,
        SENDER_ORG: submission.senderCode,
        RECEIVER_ORG: submission.receiverCode,
        REGION_CODE: submission.townshipCode,
        INSPECTION_ID: submission.inspectionId,
        SEND_TIME: submission.sentAtMs,
      },
      // A POST, but safe to repeat: the case system keeps one clue per EXTERNAL_ID.
      idempotent: true,
      parse: objectPayload<{ CLUE_ID: string; CREATED: number }>({ CLUE_ID: 'string', CREATED: 'number' }),
    });
    return { clueId: answer.CLUE_ID, created: answer.CREATED === 1 };
  }
}
