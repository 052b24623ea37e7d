import type { InProcessListener, ListenInProcess } from '../../platform/store/open-store.ts';

/** The channel the `registry_version_bump` trigger announces each change of the subject table on. */
const CHANNEL = 'registry_version';

/**
 * Stands in for the registry's version while the database announces every change in this
 * process (PGlite: the trigger's notification arrives before the changing statement resolves),
 * so a search need not read it. Each announcement moves the key, whatever it carries: anyone may
 * NOTIFY the channel, so its payload is not trusted as a version, and a stray one only costs a
 * read. Keys are `announced:N`, never equal to a version read from the store, so pages kept
 * under either are never mistaken for the other's. `current()` is undefined whenever the
 * listener is not confirmed live (stopped, the database closing or closed): the registry then
 * reads the version as before, and fails as before when the store cannot be read.
 */
export class RegistryVersionSignal {
  #listener: InProcessListener | undefined;
  #changes = 0;
  /** Made once per change rather than once per search. */
  #key = 'announced:0';

  private constructor() {}

  static async start(listen: ListenInProcess): Promise<RegistryVersionSignal> {
    const signal = new RegistryVersionSignal();
    signal.#listener = await listen(CHANNEL, () => signal.#changed());
    return signal;
  }

  /** The key pages are kept under, or undefined when the version must be read from the store. */
  current(): string | undefined {
    return this.#listener?.live() ? this.#key : undefined;
  }

  async stop(): Promise<void> {
    await this.#listener?.stop();
  }

  #changed(): void {
    this.#changes += 1;
    this.#key = `announced:${this.#changes}`;
  }
}
