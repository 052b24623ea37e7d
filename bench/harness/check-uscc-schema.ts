/**
 * The one-field schema the fixed-cost peers serve: `checkUscc(code) { valid }`, answered by the
 * same pure check the gateway runs, so the peers differ from the gateway only in what surrounds
 * the resolver (HTTP stack, plugins, permission layer, access log, store), not in the field's work.
 */
import { usccProblems } from '../../src/identifiers/uscc.ts';

export const CHECK_USCC_TYPE_DEFS = /* GraphQL */ `
  type UsccCheck {
    valid: Boolean!
  }
  type Query {
    checkUscc(code: String!): UsccCheck!
  }
`;

export const checkUsccResolvers = {
  Query: {
    checkUscc: (_: unknown, { code }: { code: string }) => ({ valid: usccProblems(code).length === 0 }),
  },
};
