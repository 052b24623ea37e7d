import type { Request, RequestHandler } from 'express';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from 'pino';

export interface RateLimitSettings {
  /** Requests each caller may make per minute. */
  perMinute: number;
  /** Shared counters for several gateway instances; without it each instance counts alone. */
  redisUrl?: string;
}

const WINDOW_SECONDS = 60;

/**
 * Per-caller request limits (rate-limiter-flexible). With Redis, every instance shares one count
 * per caller; if Redis becomes unreachable, each instance falls back to counting in memory
 * rather than refusing every request or letting every request through.
 */
export function createRateLimiter(settings: RateLimitSettings, callerOf: (req: Request) => string, logger: Logger) {
  const options = { points: settings.perMinute, duration: WINDOW_SECONDS, keyPrefix: 'gateway-rate' };
  const memory = new RateLimiterMemory(options);
  const redis = settings.redisUrl
    ? new Redis(settings.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false })
    : undefined;
  redis?.on('error', (error) => logger.warn({ err: error }, 'rate-limit store unreachable; counting in memory'));
  const limiter: RateLimiterAbstract = redis
    ? new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true, insuranceLimiter: memory })
    : memory;

  const middleware: RequestHandler = async (req, res, next) => {
    try {
      const state = await limiter.consume(callerOf(req));
      res.set(limitHeaders(settings.perMinute, state));
      next();
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) return next(refusal);
      const retryAfterSeconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      res
        .status(429)
        .set({ ...limitHeaders(settings.perMinute, refusal), 'Retry-After': String(retryAfterSeconds) })
        .json({
          errors: [
            {
              message: `Too many requests: at most ${settings.perMinute} per minute per caller; retry in ${retryAfterSeconds} s.`,
              extensions: { code: 'RATE_LIMITED', retryAfterSeconds },
            },
          ],
        });
    }
  };

  return {
    middleware,
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

/** The IETF draft's RateLimit headers, so well-behaved clients can pace themselves. */
function limitHeaders(limit: number, state: RateLimiterRes): Record<string, string> {
  return {
    'RateLimit-Limit': String(limit),
    'RateLimit-Remaining': String(Math.max(0, state.remainingPoints)),
    'RateLimit-Reset': String(Math.ceil(state.msBeforeNext / 1000)),
  };
}
