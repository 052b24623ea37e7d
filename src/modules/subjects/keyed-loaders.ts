import DataLoader from 'dataloader';
import { inBatchSpan } from './batch-span.ts';

type BatchFetch<T> = (keys: readonly string[]) => Promise<T[]>;

export interface LoaderOptions {
  /** `false` sends one upstream request per key: the benchmark's naive variant, never production. */
  batch: boolean;
  /** Names the loader's batches in traces (`dataloader.batch permitsByHolder`). */
  name?: string;
}

/**
 * A loader for records with one key each: one upstream batch request per tick, answering
 * null for keys the upstream does not know.
 */
export function loaderOfOne<T>(
  fetch: BatchFetch<T>,
  keyOf: (record: T) => string,
  options: LoaderOptions = { batch: true },
): DataLoader<string, T | null> {
  return new DataLoader(
    (keys) =>
      inBatchSpan(options.name, keys.length, async () => {
        const found = new Map<string, T>();
        for (const record of await fetch(keys)) found.set(keyOf(record), record);
        return keys.map((key) => found.get(key) ?? null);
      }),
    { batch: options.batch },
  );
}

/**
 * A loader for the records that point at a key (a subject's permits, a case's penalties):
 * one upstream batch request per tick, an empty list for keys with none.
 */
export function loaderOfMany<T>(
  fetch: BatchFetch<T>,
  keysOf: (record: T) => string | null | readonly string[],
  options: LoaderOptions = { batch: true },
): DataLoader<string, T[]> {
  return new DataLoader(
    (keys) =>
      inBatchSpan(options.name, keys.length, async () => {
        // Filled in loops rather than from pairs and one-key arrays: a page of 100 subjects and
        // their 260 permits would allocate one of those per key and per record.
        const grouped = new Map<string, T[]>();
        for (const key of keys) grouped.set(key, []);
        for (const record of await fetch(keys)) {
          const recordKeys = keysOf(record);
          if (typeof recordKeys === 'string') grouped.get(recordKeys)?.push(record);
          else for (const key of recordKeys ?? []) grouped.get(key)?.push(record);
        }
        return keys.map((key) => grouped.get(key) ?? []);
      }),
    { batch: options.batch },
  );
}
