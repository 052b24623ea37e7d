import { loadShippedProfile } from '../profiles/load-profile.ts';
import { sqlProfileSource, type SqlSourceOptions } from '../profiles/sql-profile-source.ts';
import { ProfileCreditConnector } from './profile-credit-connector.ts';

/** The credit platform read from its 前置库 at `url`, as `profiles/credit.yaml`'s `sqlTransport` lays it out. */
export function createSqlCreditConnector(url: string, options: SqlSourceOptions): ProfileCreditConnector {
  return new ProfileCreditConnector(sqlProfileSource(loadShippedProfile('credit'), url, options));
}
