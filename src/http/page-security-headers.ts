/**
 * Headers every page and file the gateway serves to a browser carries (the web console, its
 * assets, the GraphQL IDE), set in one place so a new page cannot forget one. Not `helmet`: it is
 * not a dependency, and these four are all the pages need beside their own CSP.
 *
 * - X-Frame-Options DENY: the CSPs say `frame-ancestors 'none'`; this is the same for browsers
 *   that predate CSP level 2 (clickjacking of the transfer form).
 * - Referrer-Policy no-referrer: console addresses carry enterprise codes and transfer ids
 *   (#/enterprise/<uscc>); no link or fetch may send them elsewhere.
 * - X-Content-Type-Options nosniff: a file is run only as the type it is served as.
 * - Cross-Origin-Opener-Policy same-origin: a window another site opens cannot script the console.
 */
export const pageSecurityHeaders: Readonly<Record<string, string>> = {
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
};
