import { AsyncLocalStorage } from 'node:async_hooks';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { RequestHandler } from 'express';
import type { DroppedRecord } from '../connectors/index.ts';

/** A non-fatal notice about the answer, sent in `extensions.warnings` of the response. */
export interface ResponseWarning {
  code: 'UPSTREAM_RECORD_DROPPED';
  message: string;
  system: DroppedRecord['system'];
  resource: string;
  id: string | null;
  field: string | null;
}

/**
 * Connectors drop records they cannot map (an unknown status code, a malformed date) and keep
 * the rest, which would make an incomplete list look complete: a permit office could miss a
 * penalty. Each GraphQL request runs in its own async scope, connectors report drops into it,
 * and the response says, in `extensions.warnings`, which records are missing and why.
 */
export class RequestWarnings {
  readonly #scope = new AsyncLocalStorage<Map<string, ResponseWarning>>();

  /** Express middleware opening the scope; mount it before the GraphQL handler. */
  scope(): RequestHandler {
    return (_req, _res, next) => this.#scope.run(new Map(), next);
  }

  /** A connector's `onDroppedRecord` listener; outside a request (e.g. registry sync) it does nothing. */
  readonly droppedRecord = (record: DroppedRecord): void => {
    const warnings = this.#scope.getStore();
    if (!warnings) return;
    const key = `${record.system}/${record.resource}/${record.id ?? ''}`;
    const field = record.field ? ` (field ${record.field})` : '';
    warnings.set(key, {
      code: 'UPSTREAM_RECORD_DROPPED',
      message: `The ${record.system} system's ${record.resource} ${record.id ?? 'record'} could not be read${field} and is left out of this answer.`,
      ...record,
    });
  };

  /** Adds the request's warnings to its response. */
  plugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
    const scope = this.#scope;
    return {
      async requestDidStart() {
        return {
          async willSendResponse({ response }) {
            const warnings = scope.getStore();
            if (!warnings || warnings.size === 0 || response.body.kind !== 'single') return;
            const result = response.body.singleResult;
            result.extensions = { ...result.extensions, warnings: [...warnings.values()] };
          },
        };
      },
    };
  }
}
