/**
 * What of an error may go into the logs: its kind, status and a message with
 * anything that looks like an email, a phone or a long number masked. Never
 * the Elasticsearch request (`meta` carries the query, i.e. what an agent
 * typed, and documents with customers' data) nor request bodies.
 */
import { errors as esErrors } from '@elastic/elasticsearch';
import type { Logger } from 'pino';

const emailLike = /[^\s@"'<>()[\],;:]+@[^\s@"'<>()[\],;:]+/g;
const digitRuns = /\+?\d[\d\s()./-]{5,}\d/g;

/** Masks emails and runs of 7+ digits (phones, customer, order and tracking numbers). */
export function redact(text: string): string {
  return text.replace(emailLike, '[email]').replace(digitRuns, '[number]');
}

export interface SafeError {
  type: string;
  message: string;
  statusCode?: number;
  stack?: string;
}

export function safeError(error: unknown): SafeError {
  if (error instanceof esErrors.ResponseError) {
    const reason = (error.meta.body as { error?: { type?: string } } | undefined)?.error?.type;
    return { type: `ElasticsearchResponseError${reason ? `:${reason}` : ''}`, statusCode: error.meta.statusCode, message: redact(`Elasticsearch answered ${error.meta.statusCode}`) };
  }
  if (error instanceof esErrors.ElasticsearchClientError) {
    return { type: error.name, message: redact(error.message) };
  }
  if (error instanceof Error) {
    return { type: error.name, message: redact(error.message), stack: error.stack ? redact(error.stack) : undefined };
  }
  return { type: typeof error, message: redact(String(error)) };
}

/** The API's error log: what `startServer({ log })` gets in main.ts, and what the log test captures. */
export function apiErrorLog(logger: Logger): (error: unknown, message: string) => void {
  return (error, message) => logger.error({ err: safeError(error) }, message);
}
