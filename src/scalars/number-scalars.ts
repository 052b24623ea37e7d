import { GraphQLError, GraphQLScalarType } from 'graphql';
import { BadUserInputError } from '../platform/errors.ts';

/**
 * Output-only scalars: the gateway computes these exactly and serialises them as strings so no
 * client parses them into a float.
 */
function stringOnly(name: string, pattern: RegExp, example: string) {
  return new GraphQLScalarType<string, string>({
    name,
    serialize(value) {
      if (typeof value === 'string' && pattern.test(value)) return value;
      throw new GraphQLError(`${name} cannot represent ${JSON.stringify(value)}.`);
    },
    parseValue(value) {
      if (typeof value === 'string' && pattern.test(value)) return value;
      throw new BadUserInputError(`Invalid ${name}: expected a string like "${example}".`);
    },
  });
}

export const DecimalScalar = stringOnly('Decimal', /^-?\d+(\.\d+)?$/, '1234.50');
export const BigIntScalar = stringOnly('BigInt', /^-?\d+$/, '123456789012');
