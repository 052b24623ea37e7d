import type { IncomingMessage } from 'node:http';

/**
 * The value of a header the gateway reads as one value, or undefined when it was not sent. Node
 * joins a repeated custom header into one value ("a, b") and keeps only the first of some
 * standard ones (Authorization), so two values would be read as one, or one would go unseen;
 * `headersDistinct` keeps each line apart. A header sent more than once is ambiguous and refused
 * with the error `repeated` makes from the number of times it was sent.
 */
export function singleHeader(
  req: Pick<IncomingMessage, 'headersDistinct'>,
  name: string,
  repeated: (count: number) => Error,
): string | undefined {
  const values = req.headersDistinct[name];
  if (values === undefined || values.length === 0) return undefined;
  if (values.length > 1) throw repeated(values.length);
  return values[0];
}
