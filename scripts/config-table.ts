/**
 * Prints the configuration tables of the README from the schemas of every
 * process (`npm run config:table`); a test fails when the README's copy
 * differs.
 */
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import {
  baseEnvSchema,
  indexLayoutEnvSchema,
  matchThresholdsEnvSchema,
  suppressionEnvSchema,
} from '../infra/src/config';
import { indexerEnvSchema } from '../indexers/src/config';
import { mappingsEnvSchema } from '../mappings/config';
import { serverEnvSchema } from '../server/src/config';
import { embeddedEnvSchema } from './embedded/config';
import { rebuildProfilesEnvSchema } from './rebuild-profiles-config';
import { startEnvSchema } from './start-config';
import { stopEnvSchema } from './stop-config';

/** A process and the schema of everything it reads from the environment. */
export interface ProcessEnvSchema {
  /** How it is started, e.g. `npm start`. */
  name: string;
  /** Where its schema lives. */
  file: string;
  /** A sentence after its heading in the README, e.g. what it hands on. */
  note?: string;
  schema: z.ZodObject;
}

/**
 * The README's configuration tables: the fields of the `shared` schemas
 * (baseEnvSchema, suppressionEnvSchema, indexLayoutEnvSchema, matchThresholdsEnvSchema) once, with the processes that read
 * them as they are; then each process's own variables (a shared name it
 * redefines, like `npm start`'s optional ELASTICSEARCH_URL, is its own).
 */
export function configTables(
  shared: readonly z.ZodObject[],
  processes: readonly ProcessEnvSchema[],
): string {
  const isShared = new Set(shared.flatMap((schema) => Object.values(schema.shape)));
  const row = (name: string, field: z.ZodType): string =>
    `| \`${name}\` | ${meaningOf(name, field)} | ${defaultOf(field)} |`;
  const readers = (field: z.ZodType): string =>
    processes
      .filter((p) => Object.values(p.schema.shape).includes(field))
      .map((p) => p.name)
      .join(', ');
  const parts = [
    [
      'Read by several processes:',
      '',
      '| env | meaning | default | read by |',
      '| --- | --- | --- | --- |',
      ...shared.flatMap((schema) =>
        Object.entries(schema.shape).map(
          ([name, field]) => `${row(name, field)} ${readers(field)} |`,
        ),
      ),
    ].join('\n'),
  ];
  for (const p of processes) {
    const own = Object.entries(p.schema.shape).filter(([, field]) => !isShared.has(field));
    const heading = `**${p.name}** (\`${p.file}\`)`;
    parts.push(
      own.length === 0
        ? `${heading}: only variables of the first table.`
        : [
            p.note ? `${heading}. ${p.note}` : `${heading}:`,
            '',
            '| env | meaning | default |',
            '| --- | --- | --- |',
            ...own.map(([name, field]) => row(name, field)),
          ].join('\n'),
    );
  }
  return parts.join('\n\n');
}

function meaningOf(name: string, field: z.ZodType): string {
  const description = field.meta()?.description;
  if (!description) throw new Error(`${name} has no description (.describe() or .meta())`);
  return description;
}

function defaultOf(field: z.ZodType): string {
  const shown = field.meta()?.whenUnset;
  if (shown) return shown;
  const unset = field.safeParse(undefined);
  if (!unset.success) return 'required';
  return unset.data === undefined ? 'unset' : `\`${String(unset.data)}\``;
}

/** Every process with a configuration of its own, in the README's order. */
export const processEnvSchemas: ProcessEnvSchema[] = [
  {
    name: '`npm start`',
    file: 'scripts/start-config.ts',
    note: 'It passes every other variable on to the indexer and the API it starts, checked against their schemas before anything starts:',
    schema: startEnvSchema,
  },
  { name: 'API', file: 'server/src/config.ts', schema: serverEnvSchema },
  { name: 'indexer', file: 'indexers/src/config.ts', schema: indexerEnvSchema },
  { name: '`npm run mappings:apply`', file: 'mappings/config.ts', schema: mappingsEnvSchema },
  {
    name: '`npm run profiles:rebuild`',
    file: 'scripts/rebuild-profiles-config.ts',
    schema: rebuildProfilesEnvSchema,
  },
  { name: '`npm run stop`', file: 'scripts/stop-config.ts', schema: stopEnvSchema },
  {
    name: 'embedded Elasticsearch',
    file: 'scripts/embedded/config.ts',
    note: 'The one of `npm start` and of the test run; it reads settings of the machine, not of an installation:',
    schema: embeddedEnvSchema,
  },
];

/** The README's copy: the shared variables, then each process's own. */
export function readmeConfigTables(): string {
  return configTables(
    [baseEnvSchema, suppressionEnvSchema, indexLayoutEnvSchema, matchThresholdsEnvSchema],
    processEnvSchemas,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(readmeConfigTables());
}
