import type { WorldBuilder } from './builder.ts';
import { chinaYear } from './china-time.ts';
import { pad6 } from './id-sequences.ts';

/** Credit record numbers (记录编号): XY, year, six-digit running number. */
export function creditRecordId(b: WorldBuilder, publishedOn: number): string {
  const year = chinaYear(publishedOn);
  return `XY${year}${pad6(b.ids.next('XY', year))}`;
}
