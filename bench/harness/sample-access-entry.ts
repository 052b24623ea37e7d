import type { AccessLogInput } from '../../src/modules/audit/access-log.ts';

/** An ordinary answered request's access-log entry, the `i`th caller's: what the append benches write. */
export const sampleAccessEntry = (i: number): AccessLogInput => ({
  at: new Date(),
  durationMs: 1,
  callerSubject: `officer-${i}`,
  issuer: 'https://idp.example.gov.cn',
  authorityCode: 'SAMR-310000',
  roles: ['township-officer'],
  purpose: 'supervision',
  operationName: 'CheckUscc',
  queryHash: 'a'.repeat(64),
  subjects: ['91310000MA1FL8LQ2X'],
  conditionalFields: [],
  notSharedFields: [],
  deniedFields: [],
  outcome: 'OK',
  clientAddress: '127.0.0.1',
});
