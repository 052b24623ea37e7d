import type { RegistryEntry } from '../../src/domain/feeds.ts';
import { buildUscc } from '../../src/identifiers/uscc.ts';

/** A valid USCC for subject number `n` in county 330381. */
export function usccOf(n: number): string {
  return buildUscc({
    authority: '9',
    subjectType: '1',
    divisionCode: '330381',
    organisationBody: String(n).padStart(8, '0'),
  });
}

/** A registry entry as the approval platform would report subject `n`; override what a test needs. */
export function approvalEntry(n: number, overrides: Partial<RegistryEntry> = {}): RegistryEntry {
  return {
    uscc: usccOf(n),
    legacyRegNo: null,
    name: `瑞安市测试企业${n}有限公司`,
    townshipCode: '330381001',
    source: 'approval',
    updatedAt: '2024-03-01T09:00:00+08:00',
    ...overrides,
  };
}

export function creditEntry(n: number, overrides: Partial<RegistryEntry> = {}): RegistryEntry {
  return approvalEntry(n, { source: 'credit', ...overrides });
}
