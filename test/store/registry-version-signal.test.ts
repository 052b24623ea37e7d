import { describe, expect, it } from 'vitest';
import { RegistryVersionSignal } from '../../src/modules/registry/registry-version-signal.ts';
import type { ListenInProcess } from '../../src/platform/store/open-store.ts';

/** A listener the test drives: `notify` delivers a payload, `live` and `stopped` are what the signal sees. */
function fakeListener() {
  const state = { live: true, stopped: false, listenedBeforeRead: false, notify: (_payload: string) => {} };
  const listen: ListenInProcess = async (channel, onPayload) => {
    expect(channel).toBe('registry_version');
    state.notify = onPayload;
    state.listenedBeforeRead = true;
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
  it('listens before it reads, and keeps the higher of the read and what was announced meanwhile', async () => {
    const { state, listen } = fakeListener();
    const signal = await RegistryVersionSignal.start(listen, async () => {
      expect(state.listenedBeforeRead).toBe(true);
      state.notify('8');
      return 7n;
    });
    expect(signal.current()).toBe('8');
  });

  it('moves with each announced version and never back', async () => {
    const { state, listen } = fakeListener();
    const signal = await RegistryVersionSignal.start(listen, async () => 3n);
    expect(signal.current()).toBe('3');
    state.notify('5');
    expect(signal.current()).toBe('5');
    state.notify('4');
    expect(signal.current()).toBe('5');
  });

  it('gives no version while its listener is not live, nor after it stopped', async () => {
    const { state, listen } = fakeListener();
    const signal = await RegistryVersionSignal.start(listen, async () => 1n);
    state.live = false;
    expect(signal.current()).toBeUndefined();
    state.live = true;
    expect(signal.current()).toBe('1');
    await signal.stop();
    expect(state.stopped).toBe(true);
    expect(signal.current()).toBeUndefined();
  });

  it('fails to start, and stops listening, when the version cannot be read', async () => {
    const { state, listen } = fakeListener();
    await expect(
      RegistryVersionSignal.start(listen, () => Promise.reject(new Error('PGlite is closed'))),
    ).rejects.toThrow('PGlite is closed');
    expect(state.stopped).toBe(true);
  });
});
