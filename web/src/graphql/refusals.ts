import type { GraphQLFormattedError } from 'graphql';

export type ErrorList = readonly GraphQLFormattedError[] | undefined;
export type FieldPath = readonly (string | number)[];

/** Why a field is absent: refused by a sharing rule, or its agency could not be reached. */
export type Absence =
  | { kind: 'refused'; rule: string; reason: string }
  | { kind: 'unreachable'; system: string; code: string }
  | { kind: 'failed'; code: string; message: string };

function startsWith(path: FieldPath, prefix: FieldPath): boolean {
  return prefix.every((part, index) => path[index] === part);
}

/**
 * The error that left the field at `path` empty. A refused non-null field empties its nearest
 * nullable parent, so an error at or below `path` counts: the lock goes where the hole is.
 */
export function absenceAt(errors: ErrorList, path: FieldPath): Absence | null {
  const error = errors?.find((candidate) => candidate.path !== undefined && startsWith(candidate.path, path));
  if (!error) return null;
  return describe(error);
}

export function describe(error: GraphQLFormattedError): Absence {
  const extensions = (error.extensions ?? {}) as Record<string, unknown>;
  const code = typeof extensions.code === 'string' ? extensions.code : 'UNKNOWN';
  if (code === 'FORBIDDEN') {
    const rule = typeof extensions.rule === 'string' ? extensions.rule : 'unknown';
    return { kind: 'refused', rule, reason: error.message };
  }
  if ((code === 'UPSTREAM_UNAVAILABLE' || code === 'UPSTREAM_TIMEOUT') && typeof extensions.system === 'string') {
    return { kind: 'unreachable', system: extensions.system, code };
  }
  return { kind: 'failed', code, message: error.message };
}

/** Agency systems named by any error of the answer (plus those the timeline listed), once each. */
export function unreachableSystems(errors: ErrorList, listed: readonly string[] = []): string[] {
  const systems = new Set(listed);
  for (const error of errors ?? []) {
    const absence = describe(error);
    if (absence.kind === 'unreachable') systems.add(absence.system);
  }
  return [...systems];
}

/** Personal data the caller may only see masked comes back with stars (mask-personal.ts). */
export function looksMasked(value: string | null | undefined): boolean {
  return typeof value === 'string' && value.includes('*');
}
