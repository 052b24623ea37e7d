import type { z } from 'zod';

/** Variables whose value is never echoed: a refused key is still a key. */
const SECRET_VARIABLES = new Set(['WEBHOOK_SIGNING_KEY']);

const LONGEST_SHOWN = 120;

/**
 * The value as the refusal shows it: quoted (so an empty value or a stray space is seen), a URL's
 * password replaced by `***`, a secret not shown at all, a long value (AUTH_ISSUERS' JSON) cut.
 */
export function shownValue(name: string, value: string): string {
  if (SECRET_VARIABLES.has(name)) return '(value not shown)';
  const withoutPassword = value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@/\s]*@/i, '$1***@');
  const cut = withoutPassword.length > LONGEST_SHOWN ? `${withoutPassword.slice(0, LONGEST_SHOWN)}…` : withoutPassword;
  return JSON.stringify(cut);
}

/**
 * One line per refused setting, `  NAME="value": what is accepted`, for every settings schema, so
 * that an operator sees the variable, what it held and what would do without reading the code.
 */
export function configProblems(issues: readonly z.core.$ZodIssue[], env: NodeJS.ProcessEnv): string[] {
  return issues.map((issue) => {
    const name = String(issue.path[0] ?? '');
    const value = env[name];
    const where = issue.path.length > 1 ? ` (${issue.path.slice(1).join('.')})` : '';
    const shown = value === undefined ? '' : `=${shownValue(name, value)}`;
    return `  ${name}${shown}${where}: ${issue.message}`;
  });
}

/**
 * `env` read through `schema`, or an error naming every refused setting at once under `heading`:
 * how each settings schema (the gateway's, tokens', webhooks', outboxes') is read.
 */
export function readSettings<Schema extends z.ZodType>(
  schema: Schema,
  env: NodeJS.ProcessEnv,
  heading = 'Invalid configuration',
): z.output<Schema> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new Error(`${heading}:\n${configProblems(parsed.error.issues, env).join('\n')}`);
  return parsed.data;
}
