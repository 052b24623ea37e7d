export { UnmappableFieldError } from './unmappable-field.ts';
export { codeTable } from './code-table.ts';
export {
  dateFromCompact,
  dateFromEpochMs,
  dateFromIso,
  dateFromSlashed,
  instantFromCompact,
  instantFromEpochMs,
  instantFromIso,
  instantFromSlashed,
} from './china-time.ts';
export { fenFromFen, fenFromWanYuan } from './money.ts';
export { badRecordSink, mapRecords } from './map-records.ts';
export type { BadRecordSink, DroppedRecord, DroppedRecordListener } from './map-records.ts';
export { arrayPayload, objectPayload } from './shape.ts';
export { flag, nullable, nullableText, text, textList } from './fields.ts';
