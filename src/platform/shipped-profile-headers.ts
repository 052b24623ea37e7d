import { describeHeaderProblem, loadShippedProfile, readHeaders } from '../connectors/index.ts';
import type { AgencySystem } from '../domain/types.ts';

/**
 * The headers the shipped profiles name (an agency asking for a key gets a `headers:` entry in
 * `profiles/<system>.yaml`), checked when the configuration is read as the extra profiles' are: an
 * unset variable or a missing secret file stops the start naming both, not later with a stack.
 * `systems`: those the gateway calls over HTTP (not credit when its 前置库 is read instead).
 */
export function refuseUnsendableShippedHeaders(systems: readonly AgencySystem[], env: NodeJS.ProcessEnv): void {
  const problems = systems.flatMap((system) =>
    readHeaders(loadShippedProfile(system), env).problems.map(
      (problem) => `  ${describeHeaderProblem(problem)}, in profiles/${system}.yaml`,
    ),
  );
  if (problems.length > 0) throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
}
