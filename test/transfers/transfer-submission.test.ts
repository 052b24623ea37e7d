import { describe, expect, it } from 'vitest';
import type { EnforcementConnector } from '../../src/connectors/index.ts';
import { submitTransfer } from '../../src/modules/transfers/transfer-submission.ts';
import {
  GatewayShortOfResourcesError,
  UpstreamBadResponseError,
  UpstreamUnavailableError,
} from '../../src/platform/errors.ts';

const job = {
  key: 'b3c1f0de-0000-4000-8000-000000000001',
  attempts: 1,
  leaseToken: 'lease-1',
  submission: {
    transferId: 'b3c1f0de-0000-4000-8000-000000000001',
    subjectUscc: '91330381MA2CXXXX0X',
    powerItemCode: '330217001000',
    senderCode: '330381-SCJGJ',
    receiverCode: '330381-ZHZFJ',
    townshipCode: '330381001',
    inspectionId: null,
    sentAtMs: 0,
  },
};

/** An enforcement system whose clue submission fails with `error`. */
function failingWith(error: Error): Pick<EnforcementConnector, 'submitClue'> {
  return { submitClue: () => Promise.reject(error) };
}

function recordingLog() {
  const logged: Array<{ details: object; message: string }> = [];
  return { logged, warn: (details: object, message: string) => void logged.push({ details, message }) };
}

describe('a transfer submission that fails, as its sender and receiver are told it', () => {
  it("keeps an agency's failure as its client message, retried", async () => {
    const log = recordingLog();
    const outcome = await submitTransfer(
      failingWith(new UpstreamUnavailableError('enforcement', 'http_503')),
      job,
      log,
    );
    expect(outcome).toEqual({ kind: 'failed', error: 'The enforcement system is unavailable (http_503).' });
  });

  it('dead-letters a refusal of the submission itself (a 4xx), with its client message', async () => {
    const log = recordingLog();
    const outcome = await submitTransfer(
      failingWith(new UpstreamBadResponseError('enforcement', 'http_400')),
      job,
      log,
    );
    expect(outcome).toEqual({
      kind: 'permanent',
      error: 'The enforcement system gave an unusable response (http_400).',
    });
  });

  it('puts off, without spending the attempt, a call the gateway could not make for want of its own resources', async () => {
    const outcome = await submitTransfer(
      failingWith(new GatewayShortOfResourcesError('enforcement')),
      job,
      recordingLog(),
    );
    expect(outcome).toEqual({
      kind: 'deferred',
      error:
        'The gateway is short of its own resources (gateway_out_of_resources) and could not call the enforcement system; try again shortly.',
    });
  });

  it('tells any other error as "Unexpected error." and keeps its raw text for the log only', async () => {
    const log = recordingLog();
    const raw = new Error('connect ECONNREFUSED 10.20.30.40:8443 (https://zfba.internal.example/api/clues)');
    const outcome = await submitTransfer(failingWith(raw), job, log);
    expect(outcome).toEqual({ kind: 'failed', error: 'Unexpected error.' });
    expect(log.logged).toEqual([
      { details: expect.objectContaining({ err: raw, transferId: job.key }), message: expect.any(String) },
    ]);
  });
});
