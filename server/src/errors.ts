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

  static invalid(
    error: z.ZodError,
    message = 'The request is invalid: see details for each problem.',
  ): AppError {
    return new AppError(400, 'invalid_request', message, toFieldErrors(error));
  }

  static notFound(message: string): AppError {
    return new AppError(404, 'not_found', message);
  }
}

/**
 * A request part parsed by its schema, or 400 `invalid_request` listing each
 * problem in `details`. `message` replaces the general sentence, e.g. with
 * the first problem: `(error) => \`… ${error.issues[0]?.message}\``.
 */
export function parseRequest<T>(
  schema: z.ZodType<T>,
  value: unknown,
  message?: string | ((error: z.ZodError) => string),
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw AppError.invalid(
      parsed.error,
      typeof message === 'function' ? message(parsed.error) : message,
    );
  return parsed.data;
}

/**
 * A path parameter parsed by its schema, or 404 `not_found` with `message`:
 * an id that cannot be valid names nothing, so it is not found rather than
 * invalid (and its text is not echoed beyond what `message` quotes).
 */
export function parsePathParam<T>(schema: z.ZodType<T>, value: unknown, message: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw AppError.notFound(message);
  return parsed.data;
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
      res.status(error.status).json({
        error: { code: error.code, message: error.message, details: error.details ?? [] },
      });
      return;
    }
    const client = clientError(error);
    if (client) {
      res
        .status(client.status)
        .json({ error: { code: client.code, message: client.message, details: [] } });
      return;
    }
    if (error instanceof esErrors.ElasticsearchClientError) {
      const unavailable =
        error instanceof esErrors.ConnectionError || error instanceof esErrors.TimeoutError;
      const status = unavailable ? 503 : 502;
      log(error, 'elasticsearch error', requestFacts(req, res, status));
      res.status(status).json({
        error: {
          code: unavailable ? 'search_unavailable' : 'search_failed',
          message: describeElasticsearchError(error),
          details: [],
        },
      });
      return;
    }
    log(error, 'unhandled error', requestFacts(req, res, 500));
    const requestId: unknown = res.locals.requestId;
    const reference = typeof requestId === 'string' ? ` (request ${requestId})` : '';
    res.status(500).json({
      error: {
        code: 'internal',
        message: `Something went wrong on the server; it has been logged${reference}. Try again.`,
        details: [],
      },
    });
  };
}

/**
 * The caller's mistakes that Express and body-parser find before any handler
 * runs, as the contract's error: a body larger than allowed, not JSON, in an
 * encoding or charset the server cannot read, or claiming a compression it
 * does not have (zlib's error, tagged 400 by body-parser), and a path whose
 * percent-encoding does not decode (the router's URIError, tagged 400). The
 * answer is a fixed sentence per kind: their own texts quote the request
 * (the undecodable parameter, the charset), which is never echoed.
 */
function clientError(
  error: unknown,
): { status: number; code: string; message: string } | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const { type, status, expose } = error as { type?: unknown; status?: unknown; expose?: unknown };
  if (type === 'entity.too.large')
    return {
      status: 413,
      code: 'payload_too_large',
      message: 'The body is larger than 10 MB: send fewer touchpoints per request.',
    };
  if (type === 'entity.parse.failed')
    return {
      status: 400,
      code: 'invalid_request',
      message: 'The body is not valid JSON (or NDJSON with Content-Type application/x-ndjson).',
    };
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return {
      status: 400,
      code: 'invalid_request',
      message:
        'The body is sent in a Content-Encoding or charset the server does not read: send UTF-8 JSON, uncompressed or gzip, deflate or br.',
    };
  }
  if (error instanceof URIError && status === 400) {
    return {
      status: 400,
      code: 'invalid_request',
      message:
        'The path is not valid percent-encoding (e.g. a lone % or a byte sequence that is not UTF-8).',
    };
  }
  if (typeof status !== 'number' || status < 400 || status > 499 || expose !== true)
    return undefined;
  // Any other error body-parser or Express marks as the caller's (http-errors: `expose`), e.g. a body that does not decompress.
  if (status === 413)
    return { status, code: 'payload_too_large', message: 'The body is larger than allowed.' };
  if (status === 400)
    return {
      status,
      code: 'invalid_request',
      message:
        'The body could not be read: check its Content-Encoding (it must really be compressed when it says so) and charset.',
    };
  return { status, code: 'invalid_request', message: 'The request could not be read.' };
}
