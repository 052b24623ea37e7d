import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Request, RequestHandler } from 'express';
import type { Resolvers } from '../generated/graphql.ts';

/** A module's part of the schema: its SDL and the resolvers of the fields it declares. */
export interface ModuleSchema {
  readonly typeDefs: readonly string[];
  readonly resolvers: Resolvers;
}

/**
 * One feature as the gateway composes it. `startGateway` starts the modules in order, stops them
 * in reverse, asks each for readiness, and builds every request's context from their `context`.
 * A module switched off (MODULES_DISABLED) is left out whole: its SDL, resolvers, routes and
 * workers, so its resolvers need no guard of their own.
 */
export interface GatewayModule<TContext = object> extends ModuleSchema {
  /** The folder name under src/modules/, and the name MODULES_DISABLED takes. */
  readonly name: string;
  /** What this module adds to each request's context. */
  context?(request: Request): Partial<TContext>;
  /** HTTP routes of its own, mounted before /graphql. */
  readonly routes?: RequestHandler;
  /** Background work; resolves once the module is ready to serve. */
  start?(): Promise<void>;
  /** Stops background work; called in reverse order of start. */
  stop?(): Promise<void>;
  /** Rejects while the module cannot serve: /readyz answers 503. */
  health?(): Promise<void>;
  /** The name of its /readyz check when not `name` (kept stable for operators' probes). */
  readonly healthName?: string;
}

/** The module's SDL: every `.graphql` file in its folder, in name order. */
export function readModuleSdl(folder: URL): string[] {
  const path = fileURLToPath(folder);
  return readdirSync(path)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(`${path}/${file}`, 'utf8'));
}

/**
 * Starts each module in order; each one started is given its stop in `stops`, which the caller
 * runs in reverse (on close, or when a later start fails).
 */
export async function startModules<TContext>(
  modules: readonly GatewayModule<TContext>[],
  stops: Array<() => Promise<void>>,
): Promise<void> {
  for (const module of modules) {
    await module.start?.();
    if (module.stop) stops.push(module.stop);
  }
}
