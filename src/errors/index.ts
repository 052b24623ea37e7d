export {
  CLIENT_SAFE_CODES,
  ERROR_CODES,
  FORBIDDEN_RULES,
  WARNING_CODES,
  type ErrorCode,
  type ErrorCodeEntry,
} from './error-catalogue.ts';
export { renderErrorTables, withErrorTables } from './error-table.ts';
