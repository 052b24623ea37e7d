/** A JSON answer with its HTTP status, for asserting on envelopes and error bodies. */
export interface JsonAnswer<T = unknown> {
  status: number;
  body: T;
}

async function answer<T>(response: Response): Promise<JsonAnswer<T>> {
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as T };
  } catch {
    throw new Error(`HTTP ${response.status} answered non-JSON: ${text.slice(0, 200)}`);
  }
}

export async function getJson<T = unknown>(url: string): Promise<JsonAnswer<T>> {
  return answer<T>(await fetch(url));
}

/** `body` is sent as is when it is a string (to test malformed JSON), else serialised. */
export async function postJson<T = unknown>(url: string, body: unknown): Promise<JsonAnswer<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return answer<T>(response);
}
