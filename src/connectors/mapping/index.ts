export { UnmappableFieldError } from './unmappable-field.ts';
export { codeTable } from './code-table.ts';
export { badRecordSink, mapRecords } from './map-records.ts';
export type { BadRecordSink, DroppedRecord, DroppedRecordListener } from './map-records.ts';
export { arrayPayload, objectPayload } from './shape.ts';
export {
  dateFromCompact,
  dateFromEpochMs,
  dateFromIso,
  dateFromSlashed,
  fenFromFen,
  fenFromWanYuan,
  flag,
  instantFromCompact,
  instantFromEpochMs,
  instantFromIso,
  instantFromSlashed,
  nullable,
  nullableText,
  readWith,
  text,
  textList,
} from './fields.ts';
