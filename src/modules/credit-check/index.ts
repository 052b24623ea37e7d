import type { GraphQLSchema } from 'graphql';
import { readSharingDeclarations } from '../access/index.ts';
import { loadCreditCheckRules } from './credit-check-rules.ts';
import { CreditCheckService } from './credit-check-service.ts';

export { CreditCheckQuery } from './resolvers.ts';
export { CreditCheckService, MAX_CREDIT_CHECKS } from './credit-check-service.ts';
export { BUNDLED_CREDIT_CHECK_RULES_PATH, creditCheckRulesFrom, loadCreditCheckRules } from './credit-check-rules.ts';
export { evaluateRules } from './evaluate-rules.ts';
export { creditCheckEvents, type CreditCheckEvents } from './credit-check-events.ts';

/**
 * The credit check with its rules read and validated (a bad file stops the start with every
 * problem named); revealed fields are checked against the schema the gateway serves.
 */
export function startCreditCheck(schema: GraphQLSchema, rulesPath?: string): CreditCheckService {
  const { declarations } = readSharingDeclarations(schema);
  return new CreditCheckService(loadCreditCheckRules(new Set(declarations.keys()), rulesPath));
}
