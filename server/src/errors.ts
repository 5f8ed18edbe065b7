/**
 * One error type and one handler that turns everything into the contract's
 * error body `{"error": {"code", "message", "details"}}`.
 */
import type { ErrorRequestHandler } from 'express';
import { errors as esErrors } from '@elastic/elasticsearch';
import type { z } from 'zod';
import { toFieldErrors, type FieldError } from '../../domain/src/contract';
import { describeElasticsearchError } from '../../infra/src/elasticsearch';
import { requestFacts, type ApiLog } from './privacy/safe-log';

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: FieldError[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static invalid(error: z.ZodError, message = 'The request is invalid: see details for each problem.'): AppError {
    return new AppError(400, 'invalid_request', message, toFieldErrors(error));
  }

  static notFound(message: string): AppError {
    return new AppError(404, 'not_found', message);
  }
}

/**
 * Answers every error with the contract's body. Failures of the server
 * (5xx) are logged with the request's facts and the error's code and type
 * only (privacy/safe-log.ts); the caller's own mistakes (4xx) are not logged.
 */
export function errorHandler(log: ApiLog): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) return;
    if (error instanceof AppError) {
      if (error.status >= 500) log(error, 'request failed', requestFacts(req, res, error.status));
      res.status(error.status).json({ error: { code: error.code, message: error.message, details: error.details ?? [] } });
      return;
    }
    const typed = error as { type?: string; status?: number };
    if (typed.type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'payload_too_large', message: 'The body is larger than 10 MB: send fewer touchpoints per request.', details: [] } });
      return;
    }
    if (typed.type === 'entity.parse.failed' || typed.type === 'encoding.unsupported' || typed.type === 'charset.unsupported') {
      res.status(400).json({ error: { code: 'invalid_request', message: 'The body is not valid JSON (or NDJSON with Content-Type application/x-ndjson).', details: [] } });
      return;
    }
    if (error instanceof esErrors.ElasticsearchClientError) {
      const unavailable = error instanceof esErrors.ConnectionError || error instanceof esErrors.TimeoutError;
      const status = unavailable ? 503 : 502;
      log(error, 'elasticsearch error', requestFacts(req, res, status));
      res.status(status).json({
        error: { code: unavailable ? 'search_unavailable' : 'search_failed', message: describeElasticsearchError(error), details: [] },
      });
      return;
    }
    log(error, 'unhandled error', requestFacts(req, res, 500));
    const requestId: unknown = res.locals.requestId;
    const reference = typeof requestId === 'string' ? ` (request ${requestId})` : '';
    res.status(500).json({ error: { code: 'internal', message: `Something went wrong on the server; it has been logged${reference}. Try again.`, details: [] } });
  };
}
