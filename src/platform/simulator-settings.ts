import { integerSetting, positiveDecimalSetting } from './env-values.ts';

/**
 * How the simulated world's seed and scale are read, by the gateway (SIMULATOR_SEED,
 * SIMULATOR_SCALE) and by the simulators' own command lines (`--seed`, `--scale`) alike, so that
 * `0x10` or `1e3` is refused everywhere rather than read as 16 or 1000 somewhere.
 */

/** mulberry32 takes its seed as an unsigned 32-bit number: 2^32 would plant seed 0's world again. */
export const simulatorSeedSetting = integerSetting(0, 2 ** 32 - 1);

/** The largest world the README and bench/ run (500,000 enterprises); beyond it the simulators outgrow memory. */
export const simulatorScaleSetting = positiveDecimalSetting(100);
