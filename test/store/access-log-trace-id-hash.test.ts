import { describe, expect, it } from 'vitest';
import { storedEntryHash } from '../../src/modules/audit/access-log-hash.ts';

/** A stored row as hash version 2 covered it before the trace_id column existed. */
const BEFORE_TRACE_ID = {
  seq: 7n,
  at: new Date('2026-11-30T08:00:00.000Z'),
  durationMs: 12,
  callerSubject: 'u1',
  issuer: 'demo',
  authorityCode: '330381',
  roles: ['analyst'],
  purpose: null,
  operationName: 'Lifecycle',
  queryHash: 'ab'.repeat(32),
  subjects: [],
  conditionalFields: [],
  notSharedFields: [],
  deniedFields: [],
  conditionalGrants: {},
  outcome: 'OK',
  clientAddress: '127.0.0.1',
  reason: null,
  hashVersion: 2,
  prevHash: '0'.repeat(64),
};

describe('the trace id in the access log hash', () => {
  it('leaves an entry written before the column existed verifying: it reads back null there', () => {
    expect(storedEntryHash({ ...BEFORE_TRACE_ID, traceId: null })).toBe(storedEntryHash(BEFORE_TRACE_ID));
  });

  it('covers a trace id once set, so adding, changing or removing one breaks the hash', () => {
    const traced = storedEntryHash({ ...BEFORE_TRACE_ID, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
    expect(traced).not.toBe(storedEntryHash(BEFORE_TRACE_ID));
    expect(traced).not.toBe(storedEntryHash({ ...BEFORE_TRACE_ID, traceId: '4bf92f3577b34da6a3ce929d0e0e4737' }));
  });
});
