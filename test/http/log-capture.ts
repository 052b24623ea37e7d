import type { DestinationStream } from 'pino';

/** A pino destination that keeps each JSON line, so tests can assert on what was logged. */
export interface LogCapture {
  destination: DestinationStream;
  lines(): Array<Record<string, unknown>>;
  raw(): string;
}

export function captureLogs(): LogCapture {
  const chunks: string[] = [];
  return {
    destination: { write: (chunk: string) => void chunks.push(chunk) },
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    raw: () => chunks.join(''),
  };
}
