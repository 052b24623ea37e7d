import { describe, expect, it } from 'vitest';
import { rolesInForce } from '../../src/modules/access/roles-in-force.ts';

describe('the roles a caller holds here', () => {
  it('keeps every role of a caller whose jurisdiction covers the served area', () => {
    expect(rolesInForce(['AUDITOR', 'OFFICER'], true)).toEqual(['AUDITOR', 'OFFICER']);
  });

  it('drops the auditor role of a caller that does not cover it, and keeps the others', () => {
    expect(rolesInForce(['AUDITOR', 'OFFICER', 'ADMIN'], false)).toEqual(['OFFICER', 'ADMIN']);
  });

  it('drops it too while the served area is unknown', () => {
    expect(rolesInForce(['AUDITOR'], undefined)).toEqual([]);
  });
});
