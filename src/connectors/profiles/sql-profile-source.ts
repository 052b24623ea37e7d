import type { ResilienceOptions } from '../http/resilient-calls.ts';
import { SqlRecordTransport } from '../transport/sql-record-transport.ts';
import type { DroppedRecordListener } from '../mapping/index.ts';
import { ProfileSource, resilienceFromProfile } from './profile-source.ts';
import type { AgencyProfile } from './profile-types.ts';

export type SqlSourceOptions = Omit<ResilienceOptions, 'system'> & { onDroppedRecord?: DroppedRecordListener };

/**
 * A system read from its 前置库 at `url`, laid out as the profile's `sqlTransport` says, mapped by
 * the same mappings as its API: a record reads the same whichever way it arrived.
 */
export function sqlProfileSource(profile: AgencyProfile, url: string, options: SqlSourceOptions): ProfileSource {
  const sql = profile.sqlTransport;
  if (!sql)
    throw new Error(`the ${profile.system} profile has no sqlTransport section, so it cannot be read from a 前置库`);
  const resilience = resilienceFromProfile(profile, options);
  return new ProfileSource(profile, new SqlRecordTransport({ ...resilience, url, resources: sql.resources }), options);
}
