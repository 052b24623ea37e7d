/** A field of an upstream record that the gateway cannot turn into its domain value. */
export class UnmappableFieldError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
  ) {
    super(`cannot map field ${field}: ${JSON.stringify(value)}`);
    this.name = 'UnmappableFieldError';
  }
}
