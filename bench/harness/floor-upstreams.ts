/**
 * The floor's agency calls: the same batch endpoints, bodies and record mapping the gateway's
 * connectors use, over the same HTTP client (undici's `request` on their keep-alive Agent), but with nothing around
 * them: no retries, breaker, bulkhead, timeout or metrics. Mapping stays in, because turning
 * each agency's format into the answer's is work any gateway must do.
 */
import { request } from 'undici';
import { agencyDispatcher } from '../../src/connectors/http/agency-dispatcher.ts';
import { isRecord } from '../../src/connectors/http/envelope.ts';
import { loadShippedProfile } from '../../src/connectors/profiles/load-profile.ts';
import { shippedMapper } from '../../src/connectors/profiles/shipped-mapper.ts';
import { openEnvelope } from '../../src/connectors/transport/http-record-transport.ts';
import type { EnvelopeResult } from '../../src/connectors/http/envelope.ts';
import type {
  AgencySystem,
  Case,
  Clue,
  CreditProfile,
  CreditRecord,
  Inspection,
  Penalty,
  Permit,
  Subject,
} from '../../src/domain/types.ts';

type Urls = Record<AgencySystem, string>;

// Systems on profiles map exactly as the gateway does: through their profile's compiled mappings.
const toSubject = shippedMapper<Subject>('approval', 'subject');
const toPermit = shippedMapper<Permit>('approval', 'permit');
const openApprovalEnvelope = openEnvelope(loadShippedProfile('approval').transport.envelope);
const toCreditProfile = shippedMapper<CreditProfile>('credit', 'creditProfile');
const toCreditRecord = shippedMapper<CreditRecord>('credit', 'creditRecord');
const toInspection = shippedMapper<Inspection>('supervision', 'inspection');
const toClue = shippedMapper<Clue>('enforcement', 'clue');
const toCase = shippedMapper<Case>('enforcement', 'case');
const toPenalty = shippedMapper<Penalty>('enforcement', 'penalty');
const openEnforcementEnvelope = openEnvelope(loadShippedProfile('enforcement').transport.envelope);

function openSupervisionEnvelope(body: unknown): EnvelopeResult {
  if (!isRecord(body) || body.success !== true) return { ok: false, message: 'supervision error' };
  return { ok: true, data: body.result };
}

function openCreditEnvelope(body: unknown): EnvelopeResult {
  if (!isRecord(body) || body.status !== 'success') return { ok: false, message: 'credit error' };
  return { ok: true, data: body.data };
}

async function post(url: string, open: (body: unknown) => EnvelopeResult, body: unknown): Promise<unknown[]> {
  const response = await request(url, {
    dispatcher: agencyDispatcher,
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const opened = open(JSON.parse(await response.body.text()));
  const ok = response.statusCode >= 200 && response.statusCode <= 299;
  if (!ok || !opened.ok) throw new Error(`floor: ${url} answered ${response.statusCode}`);
  return opened.data as unknown[];
}

/** Maps every record, dropping the ones the mapping refuses, as the connectors do. */
function mapAll<R, D>(raws: readonly unknown[], map: (raw: R) => D): D[] {
  const mapped: D[] = [];
  for (const raw of raws) {
    try {
      mapped.push(map(raw as R));
    } catch {
      // dropped, like an unmappable record in the gateway
    }
  }
  return mapped;
}

/** One batch request per call; an empty key list costs nothing, as with a loader that was never asked. */
export function floorUpstreams(urls: Urls) {
  const batch =
    <R, D>(
      system: AgencySystem,
      path: string,
      open: (body: unknown) => EnvelopeResult,
      body: (keys: string[]) => unknown,
      map: (raw: R) => D,
    ) =>
    async (keys: string[]): Promise<D[]> =>
      keys.length === 0 ? [] : mapAll(await post(`${urls[system]}${path}`, open, body(keys)), map);
  return {
    enterprisesByUscc: batch<unknown, Subject>(
      'approval',
      '/api/enterprises/batch',
      openApprovalEnvelope,
      (usccs) => ({ usccs }),
      toSubject,
    ),
    permitsByHolder: batch<unknown, Permit>(
      'approval',
      '/api/permits/batch',
      openApprovalEnvelope,
      (holderUsccs) => ({ holderUsccs }),
      toPermit,
    ),
    inspectionsByPermit: batch<unknown, Inspection>(
      'supervision',
      '/jg/inspections/batch',
      openSupervisionEnvelope,
      (values) => ({ by: 'permit_no', values }),
      toInspection,
    ),
    cluesByInspection: batch<unknown, Clue>(
      'enforcement',
      '/zf/api/CLUE/BATCH',
      openEnforcementEnvelope,
      (VALUES) => ({ FIELD: 'INSPECTION_ID', VALUES }),
      toClue,
    ),
    casesByNo: batch<unknown, Case>(
      'enforcement',
      '/zf/api/CASE/BATCH',
      openEnforcementEnvelope,
      (VALUES) => ({ FIELD: 'CASE_NO', VALUES }),
      toCase,
    ),
    penaltiesByCase: batch<unknown, Penalty>(
      'enforcement',
      '/zf/api/PENALTY/BATCH',
      openEnforcementEnvelope,
      (VALUES) => ({ FIELD: 'CASE_NO', VALUES }),
      toPenalty,
    ),
    creditProfiles: batch<unknown, CreditProfile>(
      'credit',
      '/xy/subjects/batch',
      openCreditEnvelope,
      (tyshxydm) => ({ tyshxydm }),
      toCreditProfile,
    ),
    creditRecordsBySubject: batch<unknown, CreditRecord>(
      'credit',
      '/xy/records/batch',
      openCreditEnvelope,
      (values) => ({ by: 'tyshxydm', values }),
      toCreditRecord,
    ),
    creditRecordsByDecision: batch<unknown, CreditRecord>(
      'credit',
      '/xy/records/batch',
      openCreditEnvelope,
      (values) => ({ by: 'cf_wsh', values }),
      toCreditRecord,
    ),
  };
}

export type FloorUpstreams = ReturnType<typeof floorUpstreams>;
