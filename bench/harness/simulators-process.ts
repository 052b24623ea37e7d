/** Child process: the four simulated agency systems (scale 1, seed 42), fault settings set by the parent. */
import { startSimulators } from '../../simulators/index.ts';
import { announceReady, answerProbes } from './probe.ts';

const simulators = await startSimulators({ scale: 1, seed: 42 });
answerProbes(() => simulators.close());
announceReady({ urls: simulators.urls });
