import type { GatewayModule } from '../../platform/gateway-module.ts';
import type { AccessLogWriter } from './access-log-writer.ts';

/**
 * The access log's writer: not ready while the log cannot be written (every answer is withheld
 * then), closed after the HTTP server has answered its last request.
 */
export function auditModule(writer: AccessLogWriter): GatewayModule {
  return {
    name: 'audit',
    healthName: 'accessLog',
    typeDefs: [],
    resolvers: {},
    health: writer.readinessCheck,
    stop: () => writer.close(),
  };
}
