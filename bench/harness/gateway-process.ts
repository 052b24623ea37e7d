/**
 * Child process: one gateway variant, configured entirely by the environment the parent gives
 * it (AUTH_REQUIRED, LOADER_BATCHING, the simulators' URLs, ...), exactly as `npm start` would be.
 */
import { loadConfig } from '../../src/platform/config.ts';
import { startGateway } from '../../src/gateway.ts';
import { announceReady, answerProbes } from './probe.ts';

const gateway = await startGateway(loadConfig(process.env));
// On a busy machine the first registry sync can time out; the gateway then serves from a partial
// registry until its next scheduled sync (an hour in the benchmark), and its answers differ from
// the floor's. Sync again until one succeeds, so every variant answers from the whole registry.
for (let attempt = 1; ; attempt += 1) {
  try {
    await gateway.registrySync.syncOnce();
    break;
  } catch (error) {
    if (attempt >= 5) throw error;
  }
}
answerProbes(() => gateway.close());
announceReady({ url: gateway.url, pid: process.pid });
