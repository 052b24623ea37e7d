import { chinaToday } from '../../domain/china-time.ts';
import type {
  AuthorityResolvers,
  DelegationResolvers,
  JurisdictionResolvers,
  PowerItemResolvers,
} from '../../generated/graphql.ts';

export const Authority: AuthorityResolvers = {
  jurisdiction: async (authority, _, { loaders }) =>
    (await loaders.reference()).jurisdictions.get(authority.jurisdictionCode) ?? null,
};

export const Jurisdiction: JurisdictionResolvers = {
  parent: async (jurisdiction, _, { loaders }) =>
    jurisdiction.parentCode ? ((await loaders.reference()).jurisdictions.get(jurisdiction.parentCode) ?? null) : null,
  children: async (jurisdiction, _, { loaders }) =>
    [...(await loaders.reference()).jurisdictions.values()].filter((child) => child.parentCode === jurisdiction.code),
};

export const PowerItem: PowerItemResolvers = {
  holder: async (item, { townshipCode, on }, { loaders }) => {
    const day = on ?? chinaToday();
    const current = item.delegations.find(
      (d) => d.townshipCode === townshipCode && d.validFrom <= day && (d.validUntil === null || day <= d.validUntil),
    );
    return current ? ((await loaders.reference()).authorities.get(current.authorityCode) ?? null) : null;
  },
};

export const Delegation: DelegationResolvers = {
  township: async (delegation, _, { loaders }) =>
    (await loaders.reference()).jurisdictions.get(delegation.townshipCode) ?? null,
  authority: async (delegation, _, { loaders }) =>
    (await loaders.reference()).authorities.get(delegation.authorityCode) ?? null,
};
