import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest } from './sim-error.ts';

const MAX_BODY_BYTES = 1_000_000;

/** Reads and parses a JSON body; undefined when the request has none. */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw badRequest(`request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw badRequest('request body is not valid JSON');
  }
}

export function sendJson(response: ServerResponse, status: number, body: string): void {
  if (response.destroyed || response.writableEnded) return;
  // Encoded once: measuring the string's UTF-8 length and then writing it would encode a feed page twice.
  const bytes = Buffer.from(body, 'utf8');
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': bytes.length,
  });
  response.end(bytes);
}
