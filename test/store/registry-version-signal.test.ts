import { describe, expect, it } from 'vitest';
import { RegistryVersionSignal } from '../../src/modules/registry/registry-version-signal.ts';
import type { ListenInProcess } from '../../src/platform/store/open-store.ts';

/** A listener the test drives: `notify` delivers a payload, `live` and `stopped` are what the signal sees. */
function fakeListener() {
  const state = { live: true, stopped: false, notify: (_payload: string) => {} };
  const listen: ListenInProcess = async (channel, onPayload) => {
    expect(channel).toBe('registry_version');
    state.notify = onPayload;
    return {
      live: () => state.live && !state.stopped,
      stop: async () => {
        state.stopped = true;
      },
    };
  };
  return { state, listen };
}

describe("the registry version's signal", () => {
  it('moves its key with every announcement, whatever the announcement carries', async () => {
    const { state, listen } = fakeListener();
    const signal = await RegistryVersionSignal.start(listen);
    const seen = new Set([signal.current()]);
    for (const payload of ['7', '7', '3', 'not a version', '']) {
      expect(() => state.notify(payload)).not.toThrow();
      expect(seen.has(signal.current())).toBe(false);
      seen.add(signal.current());
    }
  });

  it('keeps its key while nothing is announced', async () => {
    const { listen } = fakeListener();
    const signal = await RegistryVersionSignal.start(listen);
    expect(signal.current()).toBe(signal.current());
  });

  it('never gives a key a version read from the store could equal', async () => {
    const { state, listen } = fakeListener();
    const signal = await RegistryVersionSignal.start(listen);
    state.notify('1');
    expect(signal.current()).not.toMatch(/^\d+$/);
  });

  it('gives no key while its listener is not live, nor after it stopped', async () => {
    const { state, listen } = fakeListener();
    const signal = await RegistryVersionSignal.start(listen);
    const key = signal.current();
    state.live = false;
    expect(signal.current()).toBeUndefined();
    state.live = true;
    expect(signal.current()).toBe(key);
    await signal.stop();
    expect(state.stopped).toBe(true);
    expect(signal.current()).toBeUndefined();
  });
});
