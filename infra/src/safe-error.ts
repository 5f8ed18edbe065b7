/**
 * What of an error may leave a process in a log line or as a queue's stored
 * failure reason: a code, a status, and a message only when the
 * code that threw it wrote it for that purpose (`SafeError`: ids, types and
 * counts). Everything else is described by its kind alone, because free text
 * quotes data: Elasticsearch's `reason` of a mapping failure carries a
 * "Preview of field's value" (a name, an email), a conflict names the
 * document id (an identity link's id is the email), Node's JSON.parse quotes
 * its input. Masking such text is guesswork; leaving it out is not.
 */
import { errors as esErrors } from '@elastic/elasticsearch';

/**
 * An error whose message carries only ids, types, codes and counts, so it may
 * be logged and stored as it is. `unrecoverable`: retrying cannot help (a
 * worker turns it into BullMQ's UnrecoverableError).
 *
 * @example throw new SafeError('store_failed', `storing 2 of 500 touchpoints failed: mapper_parsing_exception`)
 */
export class SafeError extends Error {
  readonly code: string;
  readonly unrecoverable: boolean;
  constructor(
    code: string,
    message: string,
    options: { unrecoverable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'SafeError';
    this.code = code;
    this.unrecoverable = options.unrecoverable ?? false;
  }
}

export interface ErrorDescription {
  /** Machine code: the SafeError's code, Elasticsearch's error type, Redis' reply code, a Node error code or the error's class. */
  code: string;
  /** Safe to log: never quotes data. */
  message: string;
  /** HTTP status of an Elasticsearch answer. */
  status?: number;
  /** The first frames of the stack (file and line only), to find the place in the code. */
  where?: string[];
}

/** The types of an Elasticsearch error and its causes: `mapper_parsing_exception < illegal_argument_exception`. */
export function elasticsearchErrorType(
  error: { type?: string; caused_by?: unknown } | undefined | null,
): string {
  const types: string[] = [];
  let cause: unknown = error;
  while (cause && typeof cause === 'object' && types.length < 4) {
    const { type, caused_by: next } = cause as { type?: unknown; caused_by?: unknown };
    if (typeof type === 'string' && /^[a-z_]{1,80}$/.test(type)) types.push(type);
    cause = next;
  }
  return types.join(' < ') || 'unknown';
}

function frames(error: Error): string[] | undefined {
  const lines = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return lines.length > 0 ? lines.slice(0, 3).map((line) => line.trim()) : undefined;
}

export function describeError(error: unknown): ErrorDescription {
  if (error instanceof SafeError)
    return { code: error.code, message: error.message, where: frames(error) };
  if (error instanceof esErrors.ResponseError) {
    const body = error.meta.body as { error?: { type?: string; caused_by?: unknown } } | undefined;
    const type = elasticsearchErrorType(body?.error);
    return {
      code: type.split(' < ')[0],
      status: error.meta.statusCode ?? undefined,
      message: `Elasticsearch answered ${error.meta.statusCode ?? '?'}: ${type}`,
      where: frames(error),
    };
  }
  if (error instanceof esErrors.ElasticsearchClientError) {
    return {
      code: error.name,
      message: `Elasticsearch could not be reached or answered nothing usable (${error.name})`,
      where: frames(error),
    };
  }
  if (error instanceof Error) {
    // Redis replies start with their code (WRONGTYPE, OOM, NOSCRIPT, ERR); Node errors carry one (ECONNREFUSED).
    const replyCode =
      error.name === 'ReplyError' ? /^([A-Z]{2,20})\b/.exec(error.message)?.[1] : undefined;
    const rawCode: unknown = (error as Error & { code?: unknown }).code;
    const nodeCode =
      typeof rawCode === 'string' && /^[A-Z0-9_]{2,40}$/.test(rawCode) ? rawCode : undefined;
    const code = replyCode ?? nodeCode ?? error.name;
    return {
      code,
      message: `${error.name}${code !== error.name ? ` ${code}` : ''} (its text is not logged: it may quote data)`,
      where: frames(error),
    };
  }
  return {
    code: typeof error,
    message: `a thrown ${typeof error} (not logged: it may quote data)`,
  };
}

/** The fields of a log line about a failure outside a job (rebuild loop, schedulers, audit writes). */
export function failureFields(error: unknown): Record<string, unknown> {
  const { code, message, status, where } = describeError(error);
  return {
    code,
    error: message,
    ...(status ? { status } : {}),
    ...(where ? { where: where[0] } : {}),
  };
}
