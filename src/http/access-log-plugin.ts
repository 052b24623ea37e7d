import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import type { GatewayContext } from '../context.ts';
import type { AccessLogWriter } from '../store/access-log-writer.ts';

/**
 * Appends one access-log entry per operation: who asked, for which matter, which subjects, which
 * conditional and not-shared fields were returned and which were denied. The response waits for
 * the entry to be committed (the writer groups concurrent entries into one transaction); if it
 * cannot be, an answer carrying conditional or not-shared data is withheld — fail closed.
 */
export function accessLogPlugin(writer: AccessLogWriter, logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const at = new Date();
      return {
        async willSendResponse({ contextValue, response, request, operationName }) {
          const { principal, permissions } = contextValue;
          if (!principal || !permissions || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const sensitive = permissions.returnedConditional.size + permissions.returnedNotShared.size > 0;
          const entry = {
            at,
            durationMs: Date.now() - at.getTime(),
            callerSubject: principal.subject,
            issuer: principal.issuer,
            authorityCode: principal.authorityCode,
            roles: [...principal.roles],
            purpose: permissions.standing.purpose,
            operationName: operationName ?? null,
            queryHash: createHash('sha256')
              .update(`${request.query ?? ''}\n${JSON.stringify(request.variables ?? {})}`)
              .digest('hex'),
            subjects: [...contextValue.subjectsTouched].sort(),
            conditionalFields: [...permissions.returnedConditional].sort(),
            conditionalGrants: Object.fromEntries(permissions.readUnderGrant),
            notSharedFields: [...permissions.returnedNotShared].sort(),
            deniedFields: [...permissions.denied].sort(),
            outcome: !result.data ? 'ERROR' : result.errors?.length ? 'PARTIAL' : 'OK',
          } as const;
          try {
            await writer.append(entry);
          } catch (error) {
            logger.error({ err: error }, 'access log entry could not be written');
            if (!sensitive) return;
            result.data = null;
            result.errors = [
              { message: 'The access log cannot be written, so conditional data is withheld.', extensions: { code: 'ACCESS_LOG_UNAVAILABLE' } },
            ];
            response.http.status = 503;
          }
        },
      };
    },
  };
}
