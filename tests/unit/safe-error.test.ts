import { DelayedError, UnrecoverableError } from 'bullmq';
import { errors as esErrors } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { failedJobFields, jobFailure } from '../../indexers/src/job-failure';
import { describeError, SafeError } from '../../infra/src/safe-error';
import pino from 'pino';
import { Writable } from 'node:stream';
import { apiErrorLog } from '../../server/src/privacy/safe-log';

const mappingFailure = () =>
  new esErrors.ResponseError({
    body: {
      error: {
        type: 'document_parsing_exception',
        reason:
          "failed to parse field [customer.lastName]. Preview of field's value: 'Geheimnisvoll'",
        caused_by: {
          type: 'illegal_argument_exception',
          reason: 'For input string: "Geheimnisvoll"',
        },
      },
    },
    statusCode: 400,
    headers: {},
    warnings: null,
    meta: {} as never,
  });

describe('errors described for logs and job failures', () => {
  it('keeps the message of a SafeError, which was written to carry ids and codes only', () => {
    expect(
      describeError(new SafeError('store_failed', 'storing touchpoint 1 of 2 failed: x')),
    ).toMatchObject({ code: 'store_failed', message: 'storing touchpoint 1 of 2 failed: x' });
  });

  it("names an Elasticsearch error by its types and status, never by its reason (which previews the field's value)", () => {
    const described = describeError(mappingFailure());
    expect(described).toMatchObject({ code: 'document_parsing_exception', status: 400 });
    expect(described.message).toContain('document_parsing_exception < illegal_argument_exception');
    expect(JSON.stringify(described)).not.toContain('Geheimnisvoll');
  });

  it('withholds the text of any other error: a parser quotes its input', () => {
    let thrown: unknown;
    try {
      JSON.parse('{"email": lisa@example.org}');
    } catch (error) {
      thrown = error;
    }
    const described = describeError(thrown);
    expect(described.code).toBe('SyntaxError');
    expect(JSON.stringify(described)).not.toContain('lisa');
    expect(described.where?.[0]).toMatch(/^at /);
  });

  it('hands BullMQ a failure with a safe message and stack, unrecoverable when the original was', () => {
    const retryable = jobFailure(mappingFailure());
    expect(retryable.name).toBe('Error');
    expect(`${retryable.message}\n${retryable.stack}`).not.toContain('Geheimnisvoll');
    expect(
      jobFailure(
        new SafeError('invalid_batch', 'job 7 carries an invalid batch', { unrecoverable: true }),
      ),
    ).toBeInstanceOf(UnrecoverableError);
    const unrecoverable = jobFailure(new UnrecoverableError('lisa@example.org is invalid'));
    expect(unrecoverable).toBeInstanceOf(UnrecoverableError);
    expect(unrecoverable.message).not.toContain('lisa');
    const delayed = new DelayedError();
    expect(jobFailure(delayed)).toBe(delayed);
  });

  it('logs a failed job by id, name, attempts and the safe description', () => {
    const failure = jobFailure(
      new SafeError('store_failed', 'storing touchpoint 1 of 1 failed: document_parsing_exception'),
    );
    expect(failedJobFields({ id: '12', name: 'ingest-batch', attemptsMade: 1 }, failure)).toEqual({
      job: '12',
      name: 'ingest-batch',
      attempts: 1,
      code: 'store_failed',
      error: 'storing touchpoint 1 of 1 failed: document_parsing_exception',
    });
  });

  it("the API's log carries the request's facts and the error's code and type, never its text: no name, email, phone or street", () => {
    const lines: string[] = [];
    const log = apiErrorLog(
      pino(
        new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }),
      ),
    );
    const facts = {
      requestId: 'r-1',
      method: 'POST',
      route: '/api/v1/customers/:id/notes',
      status: 500,
    };
    log(
      new Error(
        'no customer named Lisa Geheimnisvoll, lisa@example.org, +49 170 3332229, Verborgene Gasse 7',
      ),
      'unhandled error',
      facts,
    );
    log(mappingFailure(), 'elasticsearch error', { ...facts, status: 502 });
    log(
      new SafeError('analytics_search_failed', 'analytics search 0 failed: query_shard_exception'),
      'unhandled error',
      facts,
    );
    const [plain, elastic, safe] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(plain).toMatchObject({
      msg: 'unhandled error',
      requestId: 'r-1',
      method: 'POST',
      route: '/api/v1/customers/:id/notes',
      status: 500,
      code: 'Error',
    });
    expect(elastic).toMatchObject({
      status: 502,
      upstreamStatus: 400,
      code: 'document_parsing_exception',
    });
    expect(safe).toMatchObject({
      code: 'analytics_search_failed',
      error: 'analytics search 0 failed: query_shard_exception',
    });
    for (const secret of ['Lisa', 'Geheimnisvoll', 'lisa@', 'example.org', '3332229', 'Verborgene'])
      expect(lines.join('\n')).not.toContain(secret);
  });
});
