import DataLoader from 'dataloader';
import type { Logger } from 'pino';
import type { Subject } from '../../domain/types.ts';
import type { SubjectParent } from './mappers.ts';
import { inBatchSpan } from './batch-span.ts';
import type { LoaderOptions } from './keyed-loaders.ts';

type RegistryLookup = (keys: readonly string[]) => Promise<ReadonlyArray<readonly [string, SubjectParent]>>;

/**
 * Subjects come from the gateway's registry first (no upstream call, and still answering while
 * the approval platform is down); codes the registry has not synced yet go to the approval
 * platform, and so does everything while the registry itself cannot be read.
 */
export function registryFirstLoader(
  fromRegistry: RegistryLookup,
  fromApproval: DataLoader<string, Subject | null>,
  logger: Pick<Logger, 'warn'>,
  options: LoaderOptions = { batch: true },
): DataLoader<string, SubjectParent | null> {
  return new DataLoader((keys) => inBatchSpan(options.name, keys.length, () => fromRegistryThenApproval(keys)), {
    batch: options.batch,
  });

  async function fromRegistryThenApproval(keys: readonly string[]): Promise<Array<SubjectParent | Error | null>> {
    const known = new Map(
      await fromRegistry(keys).catch((error: unknown) => {
        logger.warn({ err: error }, 'subject registry unreadable; asking the approval platform');
        return [];
      }),
    );
    const missing = keys.filter((key) => !known.has(key));
    const fetched = missing.length > 0 ? await fromApproval.loadMany(missing) : [];
    const upstream = new Map(missing.map((key, i) => [key, fetched[i]]));
    return keys.map((key) => {
      const hit = known.get(key);
      if (hit) return hit;
      const found = upstream.get(key);
      if (found instanceof Error) return found;
      return found ? toSubjectParent(found) : null;
    });
  }
}

export function toSubjectParent(subject: SubjectParent | Subject): SubjectParent {
  return {
    uscc: subject.uscc,
    legacyRegNo: subject.legacyRegNo,
    name: subject.name,
    townshipCode: subject.townshipCode,
  };
}
