import { Client, errors } from '@elastic/elasticsearch';

/** One client per process; the official client pools connections itself. */
export function createElasticsearch(url: string): Client {
  return new Client({ node: url, requestTimeout: 30_000, maxRetries: 3 });
}

export function isNotFound(error: unknown): boolean {
  return error instanceof errors.ResponseError && error.meta.statusCode === 404;
}

export function isConflict(error: unknown): boolean {
  return error instanceof errors.ResponseError && error.meta.statusCode === 409;
}

/** A sentence that says what to check when Elasticsearch fails. */
export function describeElasticsearchError(error: unknown): string {
  if (error instanceof errors.ConnectionError) {
    return 'Elasticsearch cannot be reached: check that it runs and that ELASTICSEARCH_URL points to it.';
  }
  if (error instanceof errors.TimeoutError) {
    return 'Elasticsearch did not answer in time: it may be overloaded; try again.';
  }
  if (error instanceof errors.ResponseError) {
    const reason = (error.meta.body as { error?: { reason?: string } } | undefined)?.error?.reason;
    return `Elasticsearch refused the request (${error.meta.statusCode}${reason ? `: ${reason}` : ''}).`;
  }
  return error instanceof Error ? error.message : String(error);
}
