import type { UpsertTable } from '../store/unnest-upsert-sql.ts';

/** The loop index's tables as the batch upsert writes them (see prisma/schema.prisma, Loop*). */
export const LOOP_TABLES = {
  permit: {
    table: 'loop_permit',
    key: 'permit_no',
    newerBy: 'upstream_updated_at',
    columns: {
      permit_no: 'text', holder_uscc: 'text', item_code: 'text', item_name: 'text', issuer_code: 'text',
      decided_at: 'timestamptz', valid_from: 'date', valid_until: 'date', status: 'text',
      commitment_based: 'boolean', verification_due_on: 'date', upstream_updated_at: 'timestamptz',
    },
  },
  inspection: {
    table: 'loop_inspection',
    key: 'id',
    newerBy: 'upstream_updated_at',
    columns: {
      id: 'text', subject_code: 'text', subject_code_kind: 'text', permit_no: 'text', kind: 'text',
      inspected_on: 'date', lead_authority_code: 'text', authority_codes: 'text[]', township_code: 'text',
      outcome: 'text', status: 'text', upstream_updated_at: 'timestamptz',
    },
  },
  clue: {
    table: 'loop_clue',
    key: 'id',
    newerBy: 'upstream_updated_at',
    columns: {
      id: 'text', source: 'text', inspection_id: 'text', subject_uscc: 'text', power_item_code: 'text',
      sender_code: 'text', receiver_code: 'text', township_code: 'text', received_at: 'timestamptz',
      responded_at: 'timestamptz', answer_due_on: 'date', status: 'text', case_no: 'text', upstream_updated_at: 'timestamptz',
    },
  },
  case: {
    table: 'loop_case',
    key: 'case_no',
    newerBy: 'upstream_updated_at',
    columns: {
      case_no: 'text', clue_id: 'text', subject_uscc: 'text', power_item_code: 'text', authority_code: 'text',
      township_code: 'text', procedure: 'text', status: 'text', lenient_handling: 'text', filed_at: 'timestamptz',
      decided_at: 'timestamptz', closed_at: 'timestamptz', upstream_updated_at: 'timestamptz',
    },
  },
  penalty: {
    table: 'loop_penalty',
    key: 'decision_no',
    newerBy: 'upstream_updated_at',
    columns: {
      decision_no: 'text', case_no: 'text', subject_uscc: 'text', kinds: 'text[]', affected_permit_no: 'text',
      decided_at: 'timestamptz', publication_due_on: 'date', execution_status: 'text', executed_at: 'timestamptz',
      upstream_updated_at: 'timestamptz',
    },
  },
  creditRecord: {
    table: 'loop_credit_record',
    key: 'id',
    newerBy: 'upstream_updated_at',
    columns: {
      id: 'text', kind: 'text', subject_uscc: 'text', decision_no: 'text', authority_name: 'text',
      published_on: 'date', publicity_ends_on: 'date', status: 'text', upstream_updated_at: 'timestamptz',
    },
  },
} as const satisfies Record<string, UpsertTable>;

export type LoopTable = keyof typeof LOOP_TABLES;
export type LoopRow<T extends LoopTable> = { [K in keyof (typeof LOOP_TABLES)[T]['columns']]: string | boolean | readonly string[] | null };
