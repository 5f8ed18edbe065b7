/** Values the global setup (tests/support/global-setup.ts) hands to every test file via `inject`. */
declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the Elasticsearch this test run uses, e.g. http://127.0.0.1:41234. */
    elasticsearchUrl: string;
    /** URL of the Redis this test run uses, e.g. redis://127.0.0.1:41235. */
    redisUrl: string;
  }
}

export {};
