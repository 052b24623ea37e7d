import type { ApprovalConnector } from '../../connectors/index.ts';
import type { SubjectRegistry } from '../registry/index.ts';

/** Where a subject is registered: its township decides who receives a clue about it. */
export interface SubjectLocator {
  /** The township code; null when the subject is known but has none; undefined when unknown. */
  townshipOf(uscc: string): Promise<string | null | undefined>;
}

/** The registry first (no upstream call); the approval platform for a subject registered since the last sync. */
export function registryThenApproval(registry: SubjectRegistry, approval: ApprovalConnector): SubjectLocator {
  return {
    async townshipOf(uscc) {
      const [registered] = await registry.findByUsccs([uscc]);
      if (registered) return registered.townshipCode;
      const [upstream] = await approval.subjectsByUscc([uscc]);
      return upstream ? upstream.townshipCode || null : undefined;
    },
  };
}
