/**
 * One part of a parallel profile load (see load-folded-profiles.ts), in its
 * own process: folds every `parts`-th demo person and bulk-writes the
 * profiles itself. Talks to its parent over IPC: `{ written }` after each bulk,
 * `{ samples }` (every `sampleEvery`-th person's profile, at most
 * `sampleMax`) and `{ done }` at the end.
 */
import { createElasticsearch } from '../../infra/src/elasticsearch';
import type { CustomerDocument } from '../../domain/src/profile';
import { bulkWriteProfiles, foldedProfiles } from './folded-profiles';

export interface LoadPartTask {
  elasticsearchUrl: string;
  index: string;
  customers: number;
  seed: number;
  now: string;
  part: number;
  parts: number;
  docsPerBulk: number;
  sampleEvery: number;
  sampleMax: number;
}

export type LoadPartMessage =
  { written: number } | { samples: { n: number; doc: CustomerDocument }[] } | { done: true };

const send = (message: LoadPartMessage) =>
  new Promise<void>((resolve, reject) =>
    process.send?.(message, (error: Error | null) => (error ? reject(error) : resolve())),
  );

process.once('message', (task: LoadPartTask) => {
  void (async () => {
    const es = createElasticsearch(task.elasticsearchUrl);
    const samples: { n: number; doc: CustomerDocument }[] = [];
    let i = 0;
    const docs = (function* () {
      for (const doc of foldedProfiles({
        customers: task.customers,
        seed: task.seed,
        now: new Date(task.now),
        share: { part: task.part, parts: task.parts },
      })) {
        // The person's index over all parts: this part folds persons part, part + parts, …
        const n = task.part + i++ * task.parts;
        if (n % task.sampleEvery === 0 && samples.length < task.sampleMax) samples.push({ n, doc });
        yield doc;
      }
    })();
    let reported = 0;
    await bulkWriteProfiles(es, task.index, docs, {
      docsPerBulk: task.docsPerBulk,
      onProgress: (written) => {
        process.send?.({ written: written - reported } satisfies LoadPartMessage);
        reported = written;
      },
    });
    await es.close();
    await send({ samples });
    await send({ done: true });
    process.disconnect();
  })().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  });
});
