import { readFileSync } from 'node:fs';
import type { AgencyProfile, HeaderSpec } from './profile-types.ts';

/** Why a header a profile names cannot be sent: the variable, what it held (a path, never a value), what is wrong. */
export interface HeaderProblem {
  /** The environment variable the profile names (`env` or `fileEnv`). */
  variable: string;
  /** Which of the two the profile named it as. */
  kind: 'env' | 'fileEnv';
  header: string;
  /** The path a `fileEnv` variable held; the value of an `env` one is a secret and never kept. */
  path?: string;
  problem: string;
}

type HeaderRead = { value: string } | { problem: HeaderProblem };

/** One header's value, from its variable or from the file (a mounted secret) whose path its variable holds. */
function readHeader(spec: HeaderSpec, env: NodeJS.ProcessEnv): HeaderRead {
  const kind = spec.fileEnv === undefined ? 'env' : 'fileEnv';
  const variable = spec.env ?? spec.fileEnv ?? '';
  const where = { variable, kind, header: spec.name } as const;
  const setting = env[variable];
  if (setting === undefined || setting === '') {
    const holding = kind === 'env' ? "the header's value" : 'the path of a file holding its value';
    return { problem: { ...where, problem: `must be set, to ${holding}` } };
  }
  if (kind === 'env') return { value: setting };
  let text: string;
  try {
    text = readFileSync(setting, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    return { problem: { ...where, path: setting, problem: `must name a readable file (${code})` } };
  }
  const value = text.trim();
  if (value === '') {
    return {
      problem: { ...where, path: setting, problem: "must name a file holding the header's value (it is empty)" },
    };
  }
  return { value };
}

/**
 * The headers `profile` names, each read from its variable or its secret file, and every one that
 * cannot be (with its variable). The configuration reads them so, so that a missing secret file
 * stops the start by name rather than with a stack when the connectors are built.
 */
export function readHeaders(
  profile: AgencyProfile,
  env: NodeJS.ProcessEnv,
): { headers: Record<string, string> | undefined; problems: HeaderProblem[] } {
  const specs = profile.transport.headers ?? [];
  if (specs.length === 0) return { headers: undefined, problems: [] };
  const headers: Record<string, string> = {};
  const problems: HeaderProblem[] = [];
  for (const spec of specs) {
    const read = readHeader(spec, env);
    if ('problem' in read) problems.push(read.problem);
    else headers[spec.name] = read.value;
  }
  return { headers, problems };
}

/** The headers `profile` names, read when the connectors are built; throws naming every variable that cannot give one. */
export function readProfileHeaders(profile: AgencyProfile, env: NodeJS.ProcessEnv): Record<string, string> | undefined {
  const { headers, problems } = readHeaders(profile, env);
  if (problems.length > 0) throw new Error(`${profile.system}: ${problems.map(describeHeaderProblem).join('; ')}`);
  return headers;
}

/** `NAME="path" (header X-Api-Key, its fileEnv): must …`, the path as written (a path is no secret). */
export function describeHeaderProblem({ variable, kind, header, path, problem }: HeaderProblem): string {
  const shown = path === undefined ? '' : `=${JSON.stringify(path)}`;
  return `${variable}${shown} (header ${header}, its ${kind}): ${problem}`;
}
