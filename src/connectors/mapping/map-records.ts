import type { AgencySystem } from '../../domain/types.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { ConnectorLogger } from '../http/logger.ts';
import { UnmappableFieldError } from './unmappable-field.ts';

/** Where a connector reports records it had to drop. */
export interface BadRecordSink {
  system: AgencySystem;
  metrics: Metrics;
  logger: ConnectorLogger;
}

/**
 * Maps every record of a batch; one record the gateway cannot map (an unknown status, a
 * malformed date) is dropped, logged and counted, and the rest of the batch is kept.
 */
export function mapRecords<R, D>(
  raws: readonly R[],
  map: (raw: R) => D,
  context: { sink: BadRecordSink; resource: string; idOf: (raw: R) => unknown },
): D[] {
  const { sink, resource, idOf } = context;
  const mapped: D[] = [];
  for (const raw of raws) {
    try {
      mapped.push(map(raw));
    } catch (error) {
      const id = safeId(idOf, raw);
      const problem =
        error instanceof UnmappableFieldError
          ? { field: error.field, value: error.value }
          : { error: error instanceof Error ? error.message : String(error) };
      sink.logger.warn({ system: sink.system, resource, id, ...problem }, 'dropped an upstream record that cannot be mapped');
      sink.metrics.upstreamBadRecords.inc({ system: sink.system, resource });
    }
  }
  return mapped;
}

function safeId<R>(idOf: (raw: R) => unknown, raw: R): unknown {
  try {
    return idOf(raw);
  } catch {
    return undefined;
  }
}
