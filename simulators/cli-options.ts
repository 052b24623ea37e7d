import type { z } from 'zod';
import { integerSetting } from '../src/platform/env-values.ts';
import { simulatorScaleSetting, simulatorSeedSetting } from '../src/platform/simulator-settings.ts';

/**
 * A command-line option read as the gateway reads its settings (decimal digits, in range), or exit
 * 2 saying which option, what it held and what it takes: every simulators command reads its
 * options here, so none goes through `Number()` (which read `0x10` as 16 and `abc` as NaN).
 */
export function readOption<T>(name: string, text: string, schema: z.ZodType<T, string>): T {
  const parsed = schema.safeParse(text);
  if (!parsed.success) {
    console.error(`--${name} ${JSON.stringify(text)}: ${parsed.error.issues[0]!.message}`);
    process.exit(2);
  }
  return parsed.data;
}

/** `--seed`, as SIMULATOR_SEED is read. */
export const readSeed = (text: string): number => readOption('seed', text, simulatorSeedSetting);

/** `--scale`, as SIMULATOR_SCALE is read. */
export const readScale = (text: string): number => readOption('scale', text, simulatorScaleSetting);

/** `--port`, the first of `count` consecutive ports. */
export const readFirstPort = (text: string, count: number): number =>
  readOption('port', text, integerSetting(0, 65536 - count));
