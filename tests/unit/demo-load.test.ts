import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { generateDemo } from '../../scripts/demo/generate';
import { loadDemo } from '../../scripts/demo/load';

interface FakeApi {
  baseUrl: string;
  keys: string[];
  authHeaders: Set<string>;
  statusPolls: number;
}

let server: Server | null = null;

afterEach(async () => {
  const running = server;
  server = null;
  if (running) await new Promise<void>((resolve) => running.close(() => resolve()));
});

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A stand-in for the ingest API with the failures the loader must survive:
 * the first request answers 503, requests above `maxBatch` answer 413, and
 * the status reports a backlog that drains over a few polls.
 */
async function startFakeApi(maxBatch: number): Promise<FakeApi> {
  const api: FakeApi = { baseUrl: '', keys: [], authHeaders: new Set(), statusPolls: 0 };
  let posts = 0;
  server = createServer((req, res) => {
    void (async () => {
      api.authHeaders.add(req.headers.authorization ?? '');
      const answer = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'POST' && req.url === '/api/v1/touchpoints') {
        const items = JSON.parse(await readBody(req)) as { source: string; id: string }[];
        if (posts++ === 0)
          return answer(503, {
            error: { code: 'queue_unavailable', message: 'Retry shortly.', details: [] },
          });
        if (items.length > maxBatch)
          return answer(413, {
            error: { code: 'payload_too_large', message: 'Split it.', details: [] },
          });
        api.keys.push(...items.map((tp) => `${tp.source}:${tp.id}`));
        return answer(202, { accepted: items.length, rejected: [] });
      }
      if (req.method === 'GET' && req.url === '/api/v1/ingest/status') {
        const waiting = Math.max(0, 2 - api.statusPolls++);
        return answer(200, { waiting, active: 0, failed: 0, lastIndexedAt: null });
      }
      answer(404, { error: { code: 'not_found', message: 'no such route', details: [] } });
    })();
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  api.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return api;
}

describe('demo loader', () => {
  it('posts every generated touchpoint once with the API key, retrying a 503 and splitting on 413, then waits for indexing', async () => {
    const api = await startFakeApi(150);
    // Same default `now` (today 00:00 UTC) as the loader uses; only a run across midnight UTC could differ.
    const expected = [...generateDemo({ customers: 30, seed: 3 })].map(
      ({ touchpoint }) => `${touchpoint.source}:${touchpoint.id}`,
    );

    const result = await loadDemo({
      baseUrl: `${api.baseUrl}/`,
      apiKey: 'k3y',
      customers: 30,
      seed: 3,
      batchSize: 200,
      concurrency: 2,
      progress: false,
    });

    expect(result.touchpoints).toBe(expected.length);
    expect(result.rejected).toBe(0);
    expect(api.keys.sort()).toEqual(expected.sort());
    expect([...api.authHeaders]).toEqual(['Bearer k3y']);
    expect(api.statusPolls).toBe(3);
    expect(result.seconds).toBeGreaterThan(0);
  }, 30_000);

  it('stops with a message that names the key when the API refuses it', async () => {
    server = createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { code: 'unauthorized', message: 'Unknown token.', details: [] } }),
      );
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await expect(
      loadDemo({ baseUrl, apiKey: 'wrong', customers: 5, progress: false }),
    ).rejects.toThrow(/API key was refused/);
  });
});
