import { describe, expect, it } from 'vitest';
import { summarise, type CpuProfile } from '../../bench/harness/profile-summary.ts';

const frame = (functionName: string) => ({ functionName, url: '', lineNumber: 0 });

/** A profile sampled every 100 µs: `busy` caught 10 samples, `waited` one that came 500 ms late. */
function profileWithOneLateSample(): CpuProfile {
  return {
    nodes: [
      { id: 1, callFrame: frame('busy') },
      { id: 2, callFrame: frame('waited') },
    ],
    samples: [1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1],
    timeDeltas: [100, 100, 100, 100, 100, 500_000, 100, 100, 100, 100, 100],
  };
}

// profile-request ranks functions by the time their samples carry; a sample that waited for a core
// on a loaded machine must not carry that wait, or it outranks the code that really ran.
describe('the CPU profile summary', () => {
  it('counts a sample at most twice the usual interval, however late it came', () => {
    const { byFunction, total } = summarise(profileWithOneLateSample(), 10);
    const ms = Object.fromEntries(byFunction.map((share) => [share.name, share.amount]));
    expect(ms.busy).toBeCloseTo(1.0);
    expect(ms.waited).toBeCloseTo(0.2);
    expect(total).toBeCloseTo(1.2);
  });
});
