import type { IncomingMessage } from 'node:http';
import type { ErrorRequestHandler, Request } from 'express';
import { hashQuery } from '../modules/audit/access-log-hash.ts';
import { LARGE_STRING_BYTES, type RawTokenOverrun, rawTokenOverrun } from './raw-token-overrun.ts';
import { acceptsJson, refusedDocumentPurpose, type TokenLimitOptions, tokenOverrunAnswer } from './token-limit.ts';

/** Thrown by the JSON parser's `verify` to stop it parsing a body already known to be refused. */
class DocumentOverTokenLimit extends Error {
  constructor(
    readonly found: RawTokenOverrun,
    readonly purpose: string | null,
    readonly started: number,
  ) {
    super('document over the token limit, refused before the body was parsed');
  }
}

export interface TokenLimitUnparsedOptions extends TokenLimitOptions {
  /** Requests another middleware must see first (the trusted-documents check, for browsers). */
  skip?: (req: Request) => boolean;
}

/**
 * The token limit for a large body, decided on its bytes before the JSON parser decodes and parses
 * it whole (see `rawTokenOverrun` for why and when): the same answer, access-log entry and metrics
 * as `refuseOverTokenLimit`, which still decides every other body once it is parsed. Mount as
 * `express.json({ verify: check.verify })` followed at once by `check.refuse`: body-parser stops
 * parsing when `verify` throws, and hands the error to the next error handler.
 */
export function tokenLimitBeforeParsing(options: TokenLimitUnparsedOptions): {
  verify: (req: IncomingMessage, res: unknown, body: Buffer, encoding: string) => void;
  refuse: ErrorRequestHandler;
} {
  const { maxTokens, access, skip } = options;
  const answer = tokenOverrunAnswer(options);
  return {
    verify(incoming, _res, body, encoding) {
      const req = incoming as Request;
      if (body.length <= LARGE_STRING_BYTES || encoding !== 'utf-8' || req.method !== 'POST') return;
      if (!acceptsJson(req) || skip?.(req)) return;
      const started = performance.now();
      let purpose: string | null = null;
      if (access) {
        try {
          purpose = refusedDocumentPurpose(req, access);
        } catch {
          return; // Apollo refuses the purpose header before it parses: the body is parsed and goes on to it.
        }
      }
      const found = rawTokenOverrun(body, maxTokens);
      if (found) throw new DocumentOverTokenLimit(found, purpose, started);
    },
    refuse: async (error: unknown, req, res, next) => {
      if (!(error instanceof DocumentOverTokenLimit)) {
        next(error);
        return;
      }
      const { found, purpose, started } = error;
      if (access) {
        const { operationName, variables } = found.operation;
        const queryHash = hashQuery(found.queryBytes, variables);
        if (!(await access.record(req, res, null, { operationName, queryHash, purpose }))) return;
      }
      answer(res, found.overrun, started);
    },
  };
}
