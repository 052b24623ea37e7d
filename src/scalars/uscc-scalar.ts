import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { InvalidIdentifierError } from '../platform/errors.ts';
import { usccProblems } from '../identifiers/uscc.ts';

/**
 * Strict on input, faithful on output: a code a caller sends must pass GB 32100, but a code an
 * agency holds is shown as it is, even when it fails, so that bad upstream data stays visible
 * (Subject.usccValid and Subject.usccProblem describe it).
 */
export const UsccScalar = new GraphQLScalarType<string, string>({
  name: 'USCC',
  serialize(value) {
    if (typeof value !== 'string') throw new GraphQLError('A USCC must be a string.');
    return value;
  },
  parseValue(value) {
    return parseUscc(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw notAString(ast.kind);
    return parseUscc(ast.value);
  },
});

function parseUscc(value: unknown): string {
  if (typeof value !== 'string') throw notAString(typeof value);
  const [first] = usccProblems(value);
  if (first) throw new InvalidIdentifierError('USCC', first);
  return value;
}

function notAString(got: string): InvalidIdentifierError {
  return new InvalidIdentifierError('USCC', { kind: 'type', message: `must be a string, got ${got}` });
}
