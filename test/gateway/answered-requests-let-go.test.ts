import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { accessLogged } from '../../src/http/access-logged-requests.ts';
import type { Loaders } from '../../src/modules/subjects/create-loaders.ts';
import { RequestParts, releasedOnceAnswered } from '../../src/request-parts.ts';

const someLoaders = {} as Loaders;
const logged: string[] = [];
const log = { logger: { error: (message: string) => logged.push(message) } as unknown as Logger };

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

/** Apollo's handler as the test drives it: it makes the request's parts, answers, and settles when told. */
function apolloLike(
  settled: Promise<void>,
  seen: { parts?: RequestParts; response?: { body?: unknown } },
): RequestHandler {
  return async (req) => {
    seen.parts = new RequestParts(req, log, () => someLoaders);
    seen.response = { body: { kind: 'single', singleResult: { data: { x: 1 } } } };
    seen.parts.answersWith(seen.response);
    await settled;
  };
}

describe('what a request reaches once its answer has been sent', () => {
  it("is the answer's data, its loaders and its request until then", () => {
    const req = {} as Request;
    const parts = new RequestParts(req, log, () => someLoaders);
    const response = { body: { kind: 'single' } as unknown };
    parts.answersWith(response);
    expect(parts.loaders()).toBe(someLoaders);
    expect(response.body).toEqual({ kind: 'single' });
    parts.noteAccessLogged();
    expect(accessLogged(req)).toBe(true);
  });

  it("lets go of the answer's data and reads no agency any more once released", () => {
    const parts = new RequestParts({} as Request, log, () => someLoaders);
    const response: { body?: unknown } = { body: { kind: 'single' } };
    parts.answersWith(response);
    parts.release();
    expect(response.body).toBeUndefined();
    expect(() => parts.loaders()).toThrow('the operation has been executed: its request reads no agency any more');
  });

  it('no longer reaches the HTTP request once released, and says so when the access log is noted late', () => {
    const req = {} as Request;
    const parts = new RequestParts(req, log, () => someLoaders);
    parts.release();
    logged.length = 0;
    parts.noteAccessLogged();
    expect(accessLogged(req)).toBe(false);
    expect(logged).toEqual(['an access-log entry was noted after its request was released']);
  });

  it('holds an answer given after the release no longer', () => {
    const parts = new RequestParts({} as Request, log, () => someLoaders);
    parts.release();
    const late = { body: { kind: 'single' } as unknown };
    parts.answersWith(late);
    parts.release();
    expect(late.body).toEqual({ kind: 'single' });
  });

  it("is let go of only once Apollo's handler has settled, not while the operation may still run", async () => {
    const apollo = deferred();
    const seen: { parts?: RequestParts; response?: { body?: unknown } } = {};
    const handled = releasedOnceAnswered(apolloLike(apollo.promise, seen))({} as Request, {} as Response, () => {});
    await Promise.resolve();
    expect(seen.response?.body).toBeDefined();
    expect(seen.parts?.loaders()).toBe(someLoaders);
    apollo.resolve();
    await handled;
    expect(seen.response?.body).toBeUndefined();
    expect(() => seen.parts?.loaders()).toThrow(/has been executed/);
  });

  it("is let go of when Apollo's handler fails too, and the failure still reaches Express", async () => {
    const apollo = deferred();
    const seen: { parts?: RequestParts; response?: { body?: unknown } } = {};
    const handled = releasedOnceAnswered(apolloLike(apollo.promise, seen))({} as Request, {} as Response, () => {});
    apollo.reject(new Error('apollo failed'));
    await expect(handled).rejects.toThrow('apollo failed');
    expect(seen.response?.body).toBeUndefined();
  });
});
