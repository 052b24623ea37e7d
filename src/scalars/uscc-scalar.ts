import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
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
    if (ast.kind !== Kind.STRING) throw invalid(`must be a string, got ${ast.kind}`, 'type');
    return parseUscc(ast.value);
  },
});

function parseUscc(value: unknown): string {
  if (typeof value !== 'string') throw invalid(`must be a string, got ${typeof value}`, 'type');
  const [first] = usccProblems(value);
  if (first) throw invalid(first.message, first.kind);
  return value;
}

function invalid(message: string, problem: string): GraphQLError {
  return new GraphQLError(`Invalid USCC: ${message}.`, { extensions: { code: 'BAD_USER_INPUT', problem } });
}
