import type { GatewayModule, ModuleSchema } from '../../platform/gateway-module.ts';
import { readModuleSdl } from '../../platform/gateway-module.ts';
import { Case } from './case.ts';
import { Clue } from './clue.ts';
import { Credit, CreditCommitment, CreditRecord } from './credit.ts';
import { Inspection } from './inspection.ts';
import { Money } from './money-resolver.ts';
import { Penalty } from './penalty.ts';
import { Permit } from './permit.ts';
import { Query } from './query.ts';
import { Authority, Delegation, Jurisdiction, PowerItem } from './reference.ts';
import { Subject } from './subject.ts';
import { LoopRecord, UnavailableSystem } from './timeline-resolvers.ts';

/** The module's SDL and resolvers, also for building the schema without running services. */
export const subjectsSchema: ModuleSchema = {
  typeDefs: readModuleSdl(new URL('./', import.meta.url)),
  resolvers: {
    Query,
    Subject,
    Permit,
    Inspection,
    Clue,
    Case,
    Penalty,
    Credit,
    CreditRecord,
    CreditCommitment,
    Money,
    Authority,
    Jurisdiction,
    PowerItem,
    Delegation,
    LoopRecord,
    UnavailableSystem,
  },
};

/** The agency-backed read model: subjects and their records from the four systems. Always on. */
export function subjectsModule(): GatewayModule {
  return { name: 'subjects', ...subjectsSchema };
}
