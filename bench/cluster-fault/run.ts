/**
 * bench:cluster-fault — losing a node of a secured three-node cluster.
 *
 * Starts a secured cluster (scripts/embedded/cluster.ts, 3 nodes), a TLS Redis
 * with a password, applies the mappings with one replica (every shard has a
 * copy on another node), and runs one API and one indexer over the node list
 * (node 0 first). For --seconds it ingests touchpoints at --rate a second
 * (each a new customer) and looks customers up as an agent at --lookup-rate a
 * second, by the email of a customer whose profile is already stored (learnt
 * through the elastic superuser, by customer number); a lookup is answered when
 * it returns 200 with that customer's id (agents see emails masked, so the id
 * is the check). Meanwhile it kills (-9) node 0, 1 and 2 in turn, one in each
 * third of the run, restarting each after --down seconds. At the end it waits for the indexer to drain and
 * counts acknowledged against stored touchpoints, lookups answered, latency
 * overall and in the fault windows, and errors by status.
 * Figures go to bench/results/cluster-fault-<date>.json.
 *
 *   npm run bench:cluster-fault -- [--seconds 300] [--rate 20] [--lookup-rate 5] [--down 15] [--heap 512m]
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createElasticsearch, type ElasticsearchSettings } from '../../infra/src/elasticsearch';
import { indexNames } from '../../infra/src/names';
import type { RedisSettings } from '../../infra/src/redis';
import { startIndexer } from '../../indexers/src/indexer';
import { startServer } from '../../server/src/server';
import { applyMappings } from '../../mappings/apply';
import {
  createLeastPrivilegeUser,
  startSecuredCluster,
  startTlsRedis,
  type SecuredCluster,
  type TlsRedis,
} from '../../scripts/embedded/cluster';
import { percentile, round, writeResults } from '../support/results';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '300' },
    rate: { type: 'string', default: '20' },
    'lookup-rate': { type: 'string', default: '5' },
    down: { type: 'string', default: '15' },
    heap: { type: 'string', default: '512m' },
  },
});
const seconds = Number(values.seconds);
const rate = Number(values.rate);
const lookupRate = Number(values['lookup-rate']);
const downSeconds = Number(values.down);
const heap = values.heap;
const prefix = `fault${randomBytes(3).toString('hex')}`;
const names = indexNames(prefix);
const log = (line: string): void => console.log(`[cluster-fault] ${line}`);

let dataDir: string | undefined;
let cluster: SecuredCluster | undefined;
let tlsRedis: TlsRedis | undefined;
const closers: (() => Promise<unknown>)[] = [];

interface Lookup {
  at: number;
  ms: number;
  status: number;
  answered: boolean;
  inFault: boolean;
}

async function main(): Promise<Record<string, unknown>> {
  dataDir = await mkdtemp(path.join(tmpdir(), 'panorama-cluster-fault-'));
  await chmod(dataDir, 0o755);
  const clusterStarted = Date.now();
  cluster = await startSecuredCluster({ dataDir, nodes: 3, heap, log });
  const c = cluster;
  const clusterStartSeconds = round((Date.now() - clusterStarted) / 1000, 0);
  log(`cluster up in ${((Date.now() - clusterStarted) / 1000).toFixed(0)} s: ${c.urls.join(', ')}`);
  const user = await createLeastPrivilegeUser(c, { prefix, username: 'panorama' });
  const elasticsearch: ElasticsearchSettings = {
    url: c.urls.join(','),
    username: user.username,
    password: user.password,
    caFile: c.caFile,
  };
  const redisPassword = randomBytes(8).toString('hex');
  tlsRedis = await startTlsRedis(c, {
    dir: dataDir,
    password: redisPassword,
    args: ['--maxmemory-policy', 'noeviction'],
  });
  const redis: RedisSettings = { url: tlsRedis.url, password: redisPassword, caFile: c.caFile };
  await applyMappings({
    elasticsearch,
    prefix,
    layout: { replicas: 1, shards: { customers: 1, touchpoints: 1 } },
  });
  const admin = createElasticsearch({
    url: c.urls.join(','),
    username: 'elastic',
    password: c.elasticPassword,
    caFile: c.caFile,
  });
  closers.push(() => admin.close());
  const health = async (status: 'green' | 'yellow', timeout = '120s') =>
    admin.cluster.health({ wait_for_status: status, wait_for_nodes: '3', timeout });
  const green = await health('green');
  log(`cluster ${green.status} with ${green.number_of_nodes} nodes`);

  const suppressionPepper = randomBytes(32).toString('base64url');
  const queuePrefix = `${prefix}-run`;
  const indexer = startIndexer({
    elasticsearch,
    redis,
    indexPrefix: prefix,
    queuePrefix,
    rebuildConcurrency: 1,
    suppressionPepper,
  });
  closers.push(() => indexer.close());
  const keys = { ingest: randomBytes(12).toString('hex'), agent: randomBytes(12).toString('hex') };
  const server = await startServer({
    elasticsearch,
    redis,
    indexPrefix: prefix,
    queuePrefix,
    port: 0,
    webDist: null,
    auth: {
      secret: randomBytes(32).toString('hex'),
      users: [],
      apiKeys: [
        { role: 'ingest', key: keys.ingest },
        { role: 'agent', key: keys.agent },
      ],
      tokenTtlMs: 3_600_000,
    },
    log: () => {},
    hardening: { apiPerMinute: 0, loginPerMinute: 1_000 },
    privacy: { suppressErased: true, suppressionPepper },
  });
  closers.unshift(() => server.close());

  const start = Date.now();
  const acknowledged = new Map<string, { n: number; email: string; at: number }>();
  // Customers whose profile is stored, with their id: the lookup targets.
  const stored: { email: string; customerId: string }[] = [];
  const unresolved: { n: number; email: string }[] = [];
  const ingestErrors: Record<string, number> = {};
  const lookupErrors: Record<string, number> = {};
  const lookups: Lookup[] = [];
  const faults: { node: number; killedAt: number; restartedAt?: number; backAt?: number }[] = [];
  const inFault = (t: number) =>
    faults.some((f) => t >= f.killedAt && t <= (f.backAt ?? Number.POSITIVE_INFINITY));
  const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  const track = (p: Promise<void>) => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };

  const ingestOne = async (n: number) => {
    const id = `T-${n}`;
    const email = `fault.${prefix}.${n}@example.org`;
    try {
      const res = await fetch(`${server.url}/api/v1/touchpoints`, {
        method: 'POST',
        headers: { authorization: `Bearer ${keys.ingest}`, 'content-type': 'application/json' },
        body: JSON.stringify([
          {
            source: 'bench',
            id,
            type: 'order',
            occurredAt: new Date().toISOString(),
            customer: { customerNumber: `C-${n}`, email, firstName: 'Fault', lastName: `N${n}` },
            data: { orderNumber: id, total: 10, currency: 'EUR', status: 'paid' },
          },
        ]),
        signal: AbortSignal.timeout(30_000),
      });
      await res.text();
      if (res.status === 202) {
        acknowledged.set(id, { n, email, at: Date.now() });
        unresolved.push({ n, email });
      } else bump(ingestErrors, String(res.status));
    } catch (error) {
      bump(ingestErrors, (error as Error).name);
    }
  };

  // Learn which acknowledged customers have a stored profile, and their ids.
  const resolveStored = async () => {
    const batch = unresolved.splice(0, 500);
    if (batch.length === 0) return;
    try {
      const found = await admin.search<{ id: string; customerNumbers?: string[] }>({
        index: names.customers,
        size: batch.length,
        query: { terms: { customerNumbers: batch.flatMap((b) => [`C-${b.n}`, `C${b.n}`]) } },
        _source: ['id', 'customerNumbers'],
      });
      const ids = new Map<string, string>();
      for (const hit of found.hits.hits)
        for (const number of hit._source?.customerNumbers ?? [])
          ids.set(number.replace('-', ''), hit._source!.id);
      for (const b of batch) {
        const customerId = ids.get(`C${b.n}`);
        if (customerId) stored.push({ email: b.email, customerId });
        else unresolved.push(b);
      }
    } catch {
      unresolved.unshift(...batch);
    }
  };

  const lookupOne = async () => {
    const now = Date.now();
    if (stored.length === 0) return;
    const target = stored[Math.floor(Math.random() * stored.length)];
    const t0 = performance.now();
    let status = 0;
    let answered = false;
    try {
      const res = await fetch(
        `${server.url}/api/v1/customers/search?q=${encodeURIComponent(target.email)}`,
        {
          headers: { authorization: `Bearer ${keys.agent}` },
          signal: AbortSignal.timeout(30_000),
        },
      );
      status = res.status;
      const body = (await res.json()) as { items?: { id: string }[] };
      answered = status === 200 && (body.items ?? []).some((i) => i.id === target.customerId);
    } catch (error) {
      bump(lookupErrors, (error as Error).name);
    }
    const ms = performance.now() - t0;
    if (!answered && status !== 0)
      bump(lookupErrors, status === 200 ? '200 without the customer' : String(status));
    lookups.push({ at: now, ms, status, answered, inFault: inFault(now) });
  };

  const end = start + seconds * 1_000;
  const ingestLoop = (async () => {
    while (Date.now() < end) {
      const due = start + (sent * 1_000) / rate;
      if (due > Date.now()) await sleep(due - Date.now());
      track(ingestOne(sent++));
    }
  })();
  const lookupLoop = (async () => {
    for (let n = 0; Date.now() < end; n++) {
      const due = start + (n * 1_000) / lookupRate;
      if (due > Date.now()) await sleep(due - Date.now());
      track(lookupOne());
    }
  })();
  const resolveLoop = (async () => {
    while (Date.now() < end) {
      await resolveStored();
      await sleep(1_000);
    }
  })();
  const faultLoop = (async () => {
    // Spread the three faults over the run: first after 10 % of it.
    const slot = (seconds * 1_000) / 3;
    for (let node = 0; node < 3; node++) {
      const at = start + Math.min(slot * node + 10_000, slot * node + slot * 0.1 + 5_000);
      if (at > Date.now()) await sleep(at - Date.now());
      if (Date.now() > end) break;
      const fault: (typeof faults)[number] = { node, killedAt: Date.now() };
      faults.push(fault);
      log(`kill -9 node ${node} at ${((fault.killedAt - start) / 1000).toFixed(0)} s`);
      await c.stopNode(node);
      await sleep(downSeconds * 1_000);
      fault.restartedAt = Date.now();
      await c.startNode(node);
      await health('yellow', '180s');
      fault.backAt = Date.now();
      log(
        `node ${node} back after ${((fault.backAt - fault.killedAt) / 1000).toFixed(0)} s (restart took ${((fault.backAt - fault.restartedAt) / 1000).toFixed(0)} s)`,
      );
    }
  })();
  await Promise.all([ingestLoop, lookupLoop, resolveLoop, faultLoop]);
  await Promise.allSettled([...inFlight]);
  const loadEnded = Date.now();
  log(`load done after ${((loadEnded - start) / 1000).toFixed(0)} s; waiting for green and drain`);
  await health('green', '180s').catch(() => undefined);

  // Drained: every acknowledged touchpoint stored, or no change in the count for 60 s.
  let storedCount = 0;
  for (let last = -1, since = Date.now(); Date.now() - since < 60_000; await sleep(2_000)) {
    await admin.indices.refresh({ index: names.touchpoints });
    storedCount = (await admin.count({ index: names.touchpoints })).count;
    if (storedCount >= acknowledged.size) break;
    if (storedCount !== last) [last, since] = [storedCount, Date.now()];
  }
  const drainSeconds = (Date.now() - loadEnded) / 1000;

  const perId = new Map<string, number>();
  const pit = await admin.openPointInTime({ index: names.touchpoints, keep_alive: '1m' });
  let after: unknown[] | undefined;
  for (;;) {
    const page = await admin.search<Record<string, unknown>>({
      pit: { id: pit.id, keep_alive: '1m' },
      size: 2_000,
      sort: ['_shard_doc'],
      _source: ['id', 'sourceId', 'source'],
      ...(after ? { search_after: after as never } : {}),
    });
    if (page.hits.hits.length === 0) break;
    for (const hit of page.hits.hits) {
      const s = hit._source ?? {};
      const id = String(s.id ?? s.sourceId ?? hit._id);
      perId.set(id, (perId.get(id) ?? 0) + 1);
    }
    after = page.hits.hits.at(-1)?.sort;
  }
  await admin.closePointInTime({ id: pit.id });
  const storedIds = [...perId.keys()];
  const lost = [...acknowledged.keys()].filter((id) => !perId.has(id));
  const duplicates = [...perId.values()].filter((n) => n > 1).length;
  const unacknowledgedStored = storedIds.filter((id) => !acknowledged.has(id)).length;

  const lat = (ls: Lookup[]) => ({
    count: ls.length,
    p50Ms: round(
      percentile(
        ls.map((l) => l.ms),
        50,
      ),
      1,
    ),
    p99Ms: round(
      percentile(
        ls.map((l) => l.ms),
        99,
      ),
      1,
    ),
  });
  const answered = lookups.filter((l) => l.answered);
  const share = (part: Lookup[], of: Lookup[]) =>
    round((100 * part.length) / Math.max(1, of.length), 2);
  return {
    options: { seconds, rate, lookupRate, downSeconds, heap, replicas: 1, nodes: 3 },
    clusterStartSeconds,
    faults: faults.map((f) => ({
      node: f.node,
      killedAtSeconds: round((f.killedAt - start) / 1000, 1),
      downSeconds: f.restartedAt ? round((f.restartedAt - f.killedAt) / 1000, 1) : null,
      backAfterSeconds: f.backAt ? round((f.backAt - f.killedAt) / 1000, 1) : null,
    })),
    ingest: {
      sent,
      acknowledged: acknowledged.size,
      errorsByStatus: ingestErrors,
      stored: storedIds.length,
      storedCount,
      lost: lost.length,
      lostSample: lost.slice(0, 10),
      duplicates,
      storedButNotAcknowledged: unacknowledgedStored,
      drainSeconds: round(drainSeconds, 1),
    },
    lookups: {
      asked: lookups.length,
      answered: answered.length,
      answeredPercent: share(answered, lookups),
      errorsByStatus: lookupErrors,
      latency: lat(lookups.filter((l) => l.status !== 0)),
      latencyInFaultWindows: lat(lookups.filter((l) => l.inFault && l.status !== 0)),
      latencyOutsideFaultWindows: lat(lookups.filter((l) => !l.inFault && l.status !== 0)),
      answeredPercentInFaultWindows: share(
        answered.filter((l) => l.inFault),
        lookups.filter((l) => l.inFault),
      ),
      answeredPercentOutsideFaultWindows: share(
        answered.filter((l) => !l.inFault),
        lookups.filter((l) => !l.inFault),
      ),
    },
  };
}

async function cleanUp(): Promise<void> {
  for (const close of closers) await close().catch(() => undefined);
  await tlsRedis?.stop().catch(() => undefined);
  await cluster?.stop().catch(() => undefined);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}

let failed = false;
try {
  const results = await main();
  console.log(JSON.stringify(results, null, 2));
  console.log(`Written to ${writeResults('cluster-fault', results)}`);
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await cleanUp();
}
process.exit(failed ? 1 : 0);
