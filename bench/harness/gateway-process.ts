/**
 * Child process: one gateway variant, configured entirely by the environment the parent gives
 * it (AUTH_REQUIRED, LOADER_BATCHING, the simulators' URLs, ...), exactly as `npm start` would be.
 */
import { loadConfig } from '../../src/config.ts';
import { startGateway } from '../../src/gateway.ts';
import { announceReady, answerProbes } from './probe.ts';

const gateway = await startGateway(loadConfig(process.env));
answerProbes(() => gateway.close());
announceReady({ url: gateway.url });
