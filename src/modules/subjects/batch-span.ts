import { inChildSpan } from '../../platform/child-span.ts';

/**
 * One span per loader batch (one per resource and depth of a query), named after the loader;
 * its upstream call or store query is its child. Per-key load spans are left out on purpose:
 * a large list would make hundreds.
 */
export function inBatchSpan<T>(name: string | undefined, keys: number, work: () => Promise<T>): Promise<T> {
  return inChildSpan(
    `dataloader.batch ${name ?? 'unnamed'}`,
    { 'dataloader.name': name ?? 'unnamed', 'dataloader.batch.size': keys },
    work,
  );
}
