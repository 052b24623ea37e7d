import type { RequestHandler, Response } from 'express';
import type { RecordEarlyRefusal } from './early-refusals.ts';

/**
 * Answers for requests no route takes. Express would send its own HTML page ("Cannot POST
 * /healthz") with no code a client can act on; these use the API's error shape like every other
 * refusal. GraphQL's own path never reaches them: every method of /graphql goes down its chain.
 */

type Method = 'GET' | 'POST';

/**
 * Closes a path's route (`router.route(path).get(…).all(onlyMethods('GET'))`): any other method
 * is answered 405 with `Allow`. Express answers HEAD from a GET handler, so GET allows it too.
 */
export function onlyMethods(...methods: readonly Method[]): RequestHandler {
  const allowed = methods.flatMap((method) => (method === 'GET' ? ['GET', 'HEAD'] : [method])).join(', ');
  return (req, res) => {
    res.setHeader('Allow', allowed);
    refuse(
      res,
      405,
      'BAD_REQUEST',
      'method_not_allowed',
      `${req.path} answers ${methods.join(', ')} only, not ${req.method}.`,
    );
  };
}

/**
 * /graphql's own: a method other than GET and POST is refused 405 before its body is read,
 * recorded first when `record` is given. Apollo would refuse it too, but only after its CSRF
 * prevention, which answers a DELETE or HEAD without a content type as a possible forgery.
 */
export function onlyGetAndPost(record?: RecordEarlyRefusal): RequestHandler {
  return async (req, res, next) => {
    if (req.method === 'GET' || req.method === 'POST') {
      next();
      return;
    }
    if (record && !(await record(req, res, 'method_not_allowed'))) return;
    res.setHeader('Allow', 'GET, POST');
    refuse(res, 405, 'BAD_REQUEST', 'method_not_allowed', `/graphql answers GET and POST only, not ${req.method}.`);
  };
}

/** The last handler of the app: a path nothing is served at, whatever the method. */
export function unknownPath(whatIsServed = 'GraphQL is POST /graphql.'): RequestHandler {
  return (req, res) => {
    refuse(res, 404, 'NOT_FOUND', 'unknown_path', `Nothing is served at ${req.method} ${req.path}; ${whatIsServed}`);
  };
}

function refuse(res: Response, status: number, code: string, reason: string, message: string): void {
  res
    .status(status)
    .set('Cache-Control', 'no-store')
    .json({ errors: [{ message, extensions: { code, reason } }] });
}
