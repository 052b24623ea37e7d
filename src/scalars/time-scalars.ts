import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { BadUserInputError } from '../platform/errors.ts';
import { daysInMonth } from '../domain/gregorian-calendar.ts';
import { digitsAt } from '../domain/written-digits.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** What a caller may send: a full ISO-8601 date and time with Z or an explicit offset. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|z|[+-]\d{2}:\d{2})$/;
const CHINA_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?\+08:00$/;

/** A civil date, `YYYY-MM-DD`, checked to exist on the calendar. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  serialize: (value) => checkDate(value, 'serialize'),
  parseValue: (value) => checkDate(value, 'input'),
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw badInput('Date', `must be a string like 2024-01-31, got ${ast.kind}`);
    return checkDate(ast.value, 'input');
  },
});

/** An instant with its offset; the connectors normalise every agency's format to +08:00. */
export const DateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  serialize(value) {
    if (typeof value !== 'string' || !CHINA_INSTANT.test(value)) {
      throw new GraphQLError(`DateTime cannot represent ${JSON.stringify(value)}.`);
    }
    return value;
  },
  parseValue: (value) => parseInstant(value),
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw badInput('DateTime', `must be a string, got ${ast.kind}`);
    return parseInstant(ast.value);
  },
});

function checkDate(value: unknown, direction: 'input' | 'serialize'): string {
  if (
    typeof value === 'string' &&
    DATE.test(value) &&
    isCalendarDate(digitsAt(value, 0, 4), digitsAt(value, 5, 2), digitsAt(value, 8, 2))
  ) {
    return value;
  }
  const message = `must be a calendar date like 2024-01-31, got ${JSON.stringify(value)}`;
  if (direction === 'input') throw badInput('Date', message);
  throw new GraphQLError(`Date ${message}.`);
}

/**
 * Years before 100 are refused: Date.UTC, which this check replaced (it cost a large list a Date
 * per date field), reads them as 19xx, and what callers could send must not change.
 */
function isCalendarDate(year: number, month: number, day: number): boolean {
  return year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function parseInstant(value: unknown): string {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    throw badInput(
      'DateTime',
      `must be ISO-8601 with a zone offset like 2024-01-31T09:30:00+08:00, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function badInput(scalar: string, message: string): BadUserInputError {
  return new BadUserInputError(`Invalid ${scalar}: ${message}.`);
}
