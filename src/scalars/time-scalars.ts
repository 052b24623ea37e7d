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

/** The instants the gateway can give back: China time with a four-digit year, from 0100 as dates are. */
const EARLIEST_INSTANT_MS = Date.parse('0100-01-01T00:00:00+08:00');
const LATEST_INSTANT_MS = Date.parse('9999-12-31T23:59:59.999+08:00');

/**
 * Every part is checked as written, since Date.parse is lenient: it moves a day the month lacks
 * into the next (`02-30` is `03-02`) and reads hour 24 as the next day's midnight, so an
 * impossible instant would be stored as another. One beyond the years an answer can write
 * (`9999-12-31T23:59:59-23:59` is year 10000 in China) would be stored and then fail its answer.
 */
function parseInstant(value: unknown): string {
  const text = typeof value === 'string' && ISO_INSTANT.test(value) ? value : null;
  const at = text === null ? Number.NaN : Date.parse(text);
  if (
    text === null ||
    !isCalendarDate(digitsAt(text, 0, 4), digitsAt(text, 5, 2), digitsAt(text, 8, 2)) ||
    digitsAt(text, 11, 2) > 23 ||
    digitsAt(text, 14, 2) > 59 ||
    Number.isNaN(at)
  ) {
    throw badInput(
      'DateTime',
      `must be ISO-8601 with a zone offset like 2024-01-31T09:30:00+08:00, on a day the calendar has and an hour before 24, got ${JSON.stringify(value)}`,
    );
  }
  if (at < EARLIEST_INSTANT_MS || at > LATEST_INSTANT_MS) {
    throw badInput(
      'DateTime',
      `must lie between years 0100 and 9999 in China time (+08:00), got ${JSON.stringify(value)}`,
    );
  }
  return text;
}

function badInput(scalar: string, message: string): BadUserInputError {
  return new BadUserInputError(`Invalid ${scalar}: ${message}.`);
}
