/** A request the simulator refuses, answered with the system's error envelope. */
export class SimError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function badRequest(message: string): SimError {
  return new SimError(400, message);
}
