import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { shownValue } from './config-problems.ts';
import { urlSetting } from './env-values.ts';
import {
  describeHeaderProblem,
  loadProfile,
  ProfileError,
  readHeaders,
  type ExtraSource,
} from '../connectors/index.ts';

const httpUrl = urlSetting(['http', 'https']);

/**
 * Every profile in `dir` (`*.yaml`, `*.yml`, `*.json`, in file-name order) as a further source of
 * the system it names, its base URL read from the variable its `transport.baseUrlEnv` names.
 * Every problem of every file stops the start at once, each named with its file.
 */
export function loadExtraSources(dir: string, env: NodeJS.ProcessEnv): ExtraSource[] {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((name) => /\.(ya?ml|json)$/.test(name))
      .sort();
  } catch (error) {
    throw new Error(
      `Invalid configuration:\n  EXTRA_PROFILES_DIR=${shownValue('EXTRA_PROFILES_DIR', dir)}: must be a readable folder of profiles; cannot read it (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
  const sources: ExtraSource[] = [];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const name of files) {
    const file = join(dir, name);
    try {
      const profile = loadProfile(file);
      const id = profile.source ?? profile.system;
      const earlier = seen.get(id);
      if (earlier) throw new ProfileError(file, [`source "${id}" is already ${earlier}`]);
      seen.set(id, file);
      const baseUrl = env[profile.transport.baseUrlEnv];
      if (!baseUrl)
        throw new ProfileError(file, [`${profile.transport.baseUrlEnv} (its transport.baseUrlEnv) is not set`]);
      const checked = httpUrl.safeParse(baseUrl);
      if (!checked.success) {
        const variable = profile.transport.baseUrlEnv;
        throw new ProfileError(file, [
          `${variable}=${shownValue(variable, baseUrl)} (its transport.baseUrlEnv): ${checked.error.issues[0]!.message}`,
        ]);
      }
      const { headers, problems: headerProblems } = readHeaders(profile, env);
      if (headerProblems.length > 0) throw new ProfileError(file, headerProblems.map(describeHeaderProblem));
      sources.push({ profile, file, baseUrl: baseUrl.replace(/\/+$/, ''), ...(headers && { headers }) });
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (files.length === 0) problems.push(`${dir}: no profile (*.yaml, *.yml, *.json) in it`);
  if (problems.length > 0) throw new Error(`Invalid configuration (EXTRA_PROFILES_DIR):\n${problems.join('\n')}`);
  return sources;
}
