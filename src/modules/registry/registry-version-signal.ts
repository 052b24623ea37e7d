import type { InProcessListener, ListenInProcess } from '../../platform/store/open-store.ts';

/** The channel the `registry_version_bump` trigger announces each new version on. */
const CHANNEL = 'registry_version';

/**
 * The registry's version as the database announces it, so a search need not read it: on PGlite
 * the trigger's notification arrives in this process before the changing statement resolves.
 * `current()` is undefined whenever the listener is not confirmed live (not yet listening,
 * stopped, the database closing or closed): the registry then reads the version as before, and
 * fails as before when the store cannot be read.
 */
export class RegistryVersionSignal {
  #listener: InProcessListener | undefined;
  /** Highest version seen: the read after LISTEN and every notification since. */
  #version: bigint | undefined;
  /** The same as a cache key, made once per change rather than once per search. */
  #key: string | undefined;

  private constructor() {}

  /**
   * Listens first, then reads: a change committed between the two is in the read or in a
   * notification, and the higher of them is kept, so the signal never starts behind.
   */
  static async start(listen: ListenInProcess, readVersion: () => Promise<bigint>): Promise<RegistryVersionSignal> {
    const signal = new RegistryVersionSignal();
    signal.#listener = await listen(CHANNEL, (payload) => signal.#saw(BigInt(payload)));
    try {
      signal.#saw(await readVersion());
    } catch (error) {
      await signal.stop();
      throw error;
    }
    return signal;
  }

  /** The version, or undefined when it must be read from the store. */
  current(): string | undefined {
    return this.#listener?.live() ? this.#key : undefined;
  }

  async stop(): Promise<void> {
    const listener = this.#listener;
    this.#version = undefined;
    this.#key = undefined;
    await listener?.stop();
  }

  #saw(version: bigint): void {
    if (this.#version !== undefined && version <= this.#version) return;
    this.#version = version;
    this.#key = String(version);
  }
}
