import type { RequestHandler } from 'express';

/**
 * Every answer of /graphql is its caller's own: what a token, its purpose and its grants let it
 * read (personal data, conditional fields read for a matter), refusals and errors included. No
 * cache may keep one, shared or private: a reverse proxy caching GETs by URL (nginx's
 * `proxy_cache` does not look at `Authorization`) would give it to the next caller asking the
 * same query. Set first, so every answer down the chain carries it, whichever step answers.
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};
