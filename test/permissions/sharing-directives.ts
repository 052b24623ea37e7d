/**
 * The declarations the permission layer reads, as the small schemas of these tests spell them:
 * `@share` with its two enums. Append `REQUIRES_ROLE_DIRECTIVE` where a schema gates by role.
 */
export const SHARE_DIRECTIVE = /* GraphQL */ `
  directive @share(
    class: SharingClass!
    owner: AgencySystem
    personal: Boolean = false
    condition: String
  ) on FIELD_DEFINITION
  enum SharingClass {
    UNCONDITIONAL
    CONDITIONAL
    NOT_SHARED
  }
  enum AgencySystem {
    APPROVAL
    SUPERVISION
    ENFORCEMENT
    CREDIT
  }
`;

export const REQUIRES_ROLE_DIRECTIVE = /* GraphQL */ `
  directive @requiresRole(role: String!) on FIELD_DEFINITION
`;
