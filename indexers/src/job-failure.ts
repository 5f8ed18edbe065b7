/**
 * Job failures without personal data. BullMQ stores a failed
 * attempt's `error.message` as the job's `failedReason` and its `stack` in
 * `stacktrace`, in Redis, for as long as the job is kept (a week for ingest
 * jobs), and the workers log them. Every processor is wrapped so that what
 * reaches BullMQ is rebuilt from `describeError` (infra/src/safe-error.ts):
 * codes, ids, types and counts, never the thrown text, which may quote a
 * touchpoint (Elasticsearch's "Preview of field's value", an identity link's
 * id, a parser's excerpt of its input).
 */
import { UnrecoverableError, type Job, type Processor } from 'bullmq';
import { describeError, SafeError, type ErrorDescription } from '../../infra/src/safe-error';

/** BullMQ's own control-flow errors (rate limit, move to delayed or waiting) must reach it unchanged; their texts are BullMQ's. */
const bullmqSignals = new Set([
  'DelayedError',
  'WaitingError',
  'WaitingChildrenError',
  'RateLimitError',
]);

/** Failures built here, with the description they were built from (the 'failed' event hands them back). */
const built = new WeakMap<Error, ErrorDescription>();

/** The error handed to BullMQ in place of `error`: safe message and stack, unrecoverable when the original was. */
export function jobFailure(error: unknown): Error {
  if (error instanceof Error && bullmqSignals.has(error.name)) return error;
  const description = describeError(error);
  const unrecoverable =
    (error instanceof SafeError && error.unrecoverable) ||
    (error instanceof Error && error.name === 'UnrecoverableError');
  const message = `${description.code}: ${description.message}`;
  const failure = unrecoverable ? new UnrecoverableError(message) : new Error(message);
  failure.stack = [
    `${failure.name}: ${message}`,
    ...(description.where ?? []).map((frame) => `    ${frame}`),
  ].join('\n');
  built.set(failure, description);
  return failure;
}

/** Wraps a processor so every failure it throws is a `jobFailure`. */
export function withSafeFailures<T, R>(processor: Processor<T, R>): Processor<T, R> {
  return async (job, token, signal) => {
    try {
      return await processor(job, token, signal);
    } catch (error) {
      throw jobFailure(error);
    }
  };
}

/** The fields of a "job failed" log line: the job's id, name and attempts and the safe description of the error. */
export function failedJobFields(
  job: Pick<Job, 'id' | 'name' | 'attemptsMade'> | undefined,
  error: unknown,
): Record<string, unknown> {
  const { code, message, status } =
    (error instanceof Error && built.get(error)) || describeError(error);
  return {
    job: job?.id,
    name: job?.name,
    attempts: job?.attemptsMade,
    code,
    error: message,
    ...(status ? { status } : {}),
  };
}
