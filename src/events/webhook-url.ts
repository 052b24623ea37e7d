export const MAX_WEBHOOK_URL_LENGTH = 2000;

/**
 * What is wrong with a webhook URL, or null when it can be used. Only http and https: anything
 * else (file:, javascript:, ftp:) has no business receiving POSTs. Credentials in the URL are
 * refused because URLs end up in logs and admin listings; receivers authenticate the gateway by
 * its signature instead.
 */
export function webhookUrlProblem(text: string): string | null {
  if (text.length > MAX_WEBHOOK_URL_LENGTH) return `at most ${MAX_WEBHOOK_URL_LENGTH} characters (got ${text.length})`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `${JSON.stringify(text)} is not an absolute URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `must be an http or https URL, not ${url.protocol.slice(0, -1)}`;
  }
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password';
  if (url.hash !== '') return 'must not carry a fragment (#…): it is never sent';
  return null;
}
