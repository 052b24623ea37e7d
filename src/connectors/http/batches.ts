/** The agencies accept at most this many keys in one batch request. */
export const MAX_BATCH_KEYS = 200;

/**
 * Looks up any number of keys: drops duplicates, splits them into batches the agency accepts
 * and sends those concurrently (the client's bulkhead bounds how many run at once).
 */
export async function inBatches<T>(
  keys: readonly string[],
  lookup: (batch: string[]) => Promise<T[]>,
  batchSize: number = MAX_BATCH_KEYS,
): Promise<T[]> {
  const unique = [...new Set(keys)];
  const batches: string[][] = [];
  for (let start = 0; start < unique.length; start += batchSize) {
    batches.push(unique.slice(start, start + batchSize));
  }
  const results = await Promise.all(batches.map(lookup));
  return results.flat();
}
