import type { Request, RequestHandler, Response } from 'express';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from 'pino';
import type { RecordEarlyRefusal } from './early-refusals.ts';

export interface RateLimitSettings {
  /** Requests each caller may make per minute. */
  perMinute: number;
  /**
   * Failed authentications each client address may have per minute; beyond it every request from
   * that address is refused (429) before its token is looked at. Stricter than `perMinute`: each
   * failure may have cost a signature check. Default 30.
   */
  authFailuresPerMinute?: number;
  /** Shared counters for several gateway instances; without it each instance counts alone. */
  redisUrl?: string;
  /** After Redis fails a command, how long every count stays in memory before Redis is tried again. Default 1 s. */
  redisRestMs?: number;
}

/** Counts failed authentications per client address and refuses an address over its limit. */
export interface FailedAuthenticationLimit {
  /** Answers 429 (with Retry-After) and returns true when the request's address is over the limit. */
  refuseIfOver(req: Request, res: Response): Promise<boolean>;
  /** Counts one failed authentication against the request's address. */
  count(req: Request): Promise<void>;
}

export const DEFAULT_AUTH_FAILURES_PER_MINUTE = 30;

const WINDOW_SECONDS = 60;

/**
 * How long one Redis command may take before the count falls back to memory. Redis answers in
 * well under a millisecond; without a bound, a Redis that accepts connections but answers nothing
 * (frozen, a dropped route) would hold every request at the limiter for ever.
 */
const REDIS_COMMAND_TIMEOUT_MS = 500;

/**
 * After a failed Redis command the counts stay in memory this long: a frozen Redis then costs one
 * request a command timeout now and then, not every request two of them.
 */
const DEFAULT_REDIS_REST_MS = 1_000;

/** The two calls the limits make of a counter. */
interface Counter {
  consume(key: string): Promise<RateLimiterRes>;
  get(key: string): Promise<RateLimiterRes | null>;
}

/**
 * Per-caller request limits (rate-limiter-flexible). With Redis, every instance shares one count
 * per caller; if Redis becomes unreachable, each instance falls back to counting in memory
 * rather than refusing every request or letting every request through.
 */
export function createRateLimiter(
  settings: RateLimitSettings,
  callerOf: (req: Request) => string,
  logger: Logger,
  /** Puts each 429 in the access log before it is answered (none when the gateway keeps no log). */
  recordRefusal?: RecordEarlyRefusal,
) {
  const redis = settings.redisUrl
    ? new Redis(settings.redisUrl, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        lazyConnect: false,
        commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
        connectTimeout: 2000,
      })
    : undefined;
  redis?.on('error', (error) => logger.warn({ err: error }, 'rate-limit store unreachable; counting in memory'));
  const restMs = settings.redisRestMs ?? DEFAULT_REDIS_REST_MS;
  let redisRestsUntil = 0;
  /** Every limit is kept the same way: in Redis when configured, in this instance's memory when Redis fails. */
  const counter = (points: number, keyPrefix: string): Counter => {
    const options = { points, duration: WINDOW_SECONDS, keyPrefix };
    const memory = new RateLimiterMemory(options);
    if (!redis) return memory;
    const shared = new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true });
    /** Redis's answer, or memory's when Redis is resting or fails (a refusal over the limit is an answer). */
    const sharedOrMemory = async <T>(ask: (limiter: Counter) => Promise<T>): Promise<T> => {
      if (Date.now() < redisRestsUntil) return ask(memory);
      try {
        return await ask(shared);
      } catch (failure) {
        if (failure instanceof RateLimiterRes) throw failure;
        redisRestsUntil = Date.now() + restMs;
        logger.warn({ err: failure, restMs }, 'rate-limit store failed a command; counting in memory for a while');
        return ask(memory);
      }
    };
    return {
      consume: (key) => sharedOrMemory((limiter) => limiter.consume(key)),
      get: (key) => sharedOrMemory((limiter) => limiter.get(key)),
    };
  };
  const limiter = counter(settings.perMinute, 'gateway-rate');
  const failuresPerMinute = settings.authFailuresPerMinute ?? DEFAULT_AUTH_FAILURES_PER_MINUTE;
  const failures = counter(failuresPerMinute, 'gateway-auth-failures');

  const middleware: RequestHandler = async (req, res, next) => {
    try {
      const state = await limiter.consume(callerOf(req));
      setLimitHeaders(res, settings.perMinute, state);
      next();
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) return next(refusal);
      // One that cannot be recorded has been answered 503 by the recorder.
      if (recordRefusal && !(await recordRefusal(req, res, 'rate_limited'))) return;
      refuse(
        res,
        settings.perMinute,
        refusal,
        (seconds) => `Too many requests: at most ${settings.perMinute} per minute per caller; retry in ${seconds} s.`,
      );
    }
  };

  const failedAuthentications: FailedAuthenticationLimit = {
    async refuseIfOver(req, res) {
      const state = await failures.get(addressOf(req));
      if (state === null || state.consumedPoints < failuresPerMinute) return false;
      if (recordRefusal && !(await recordRefusal(req, res, 'too_many_failed_authentications'))) return true;
      refuse(
        res,
        failuresPerMinute,
        state,
        (seconds) =>
          `Too many failed authentications from this address: at most ${failuresPerMinute} per minute; retry in ${seconds} s.`,
      );
      return true;
    },
    async count(req) {
      // Over the limit consume() rejects with the state; the count has been taken either way.
      await failures.consume(addressOf(req)).catch((refusal: unknown) => {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
      });
    },
  };

  return {
    middleware,
    failedAuthentications,
    /**
     * Resolves once Redis answers, or after `waitMs` regardless: until then each instance counts
     * alone, so start-up waits briefly rather than admitting a burst per instance.
     */
    ready(waitMs = 2000): Promise<void> {
      if (!redis || redis.status === 'ready') return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        redis.once('ready', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    async close(): Promise<void> {
      await redis?.quit().catch(() => redis.disconnect());
    },
  };
}

/** 429 with Retry-After, the RateLimit headers and `RATE_LIMITED`, in GraphQL's error shape. */
function refuse(
  res: Response,
  limit: number,
  state: RateLimiterRes,
  message: (retryAfterSeconds: number) => string,
): void {
  const retryAfterSeconds = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  setLimitHeaders(res, limit, state);
  res
    .status(429)
    .set('Retry-After', String(retryAfterSeconds))
    .json({
      errors: [{ message: message(retryAfterSeconds), extensions: { code: 'RATE_LIMITED', retryAfterSeconds } }],
    });
}

/** The client's address as the socket sees it (Express's `req.ip`, which honours `trust proxy` when set). */
function addressOf(req: Request): string {
  return `address ${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
}

/**
 * The IETF draft's RateLimit headers, so well-behaved clients can pace themselves. Set with
 * `setHeader`, on every request: plain strings need none of the work of Express's `res.set`
 * (an object walked, each value checked for a content type and converted).
 */
function setLimitHeaders(res: Response, limit: number, state: RateLimiterRes): void {
  res.setHeader('RateLimit-Limit', String(limit));
  res.setHeader('RateLimit-Remaining', String(Math.max(0, state.remainingPoints)));
  res.setHeader('RateLimit-Reset', String(Math.ceil(state.msBeforeNext / 1000)));
}
