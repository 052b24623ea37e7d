import type { AgencySystem } from '../../domain/types.ts';
import type { Metrics } from '../../platform/metrics.ts';
import { type ConnectorLogger, silentLogger } from '../http/logger.ts';
import { UnmappableFieldError } from './unmappable-field.ts';

/** An upstream record left out of an answer because the gateway could not map it. */
export interface DroppedRecord {
  system: AgencySystem;
  resource: string;
  id: string | null;
  /** The field that could not be mapped, when known. */
  field: string | null;
}

export type DroppedRecordListener = (record: DroppedRecord) => void;

/** Where a connector reports records it had to drop. */
export interface BadRecordSink {
  system: AgencySystem;
  metrics: Metrics;
  logger: ConnectorLogger;
  /** Told of every drop, so the answer being assembled can say it is incomplete. */
  onDropped?: DroppedRecordListener;
}

/** The sink of one connector, from the options it was created with. */
export function badRecordSink(
  system: AgencySystem,
  options: { metrics: Metrics; logger?: ConnectorLogger; onDroppedRecord?: DroppedRecordListener },
): BadRecordSink {
  return {
    system,
    metrics: options.metrics,
    logger: options.logger ?? silentLogger(),
    onDropped: options.onDroppedRecord,
  };
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
      sink.logger.warn(
        { system: sink.system, resource, id, ...problem },
        'dropped an upstream record that cannot be mapped',
      );
      sink.metrics.upstreamBadRecords.inc({ system: sink.system, resource });
      sink.onDropped?.({
        system: sink.system,
        resource,
        id: id === undefined || id === null ? null : String(id),
        field: error instanceof UnmappableFieldError ? error.field : null,
      });
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
