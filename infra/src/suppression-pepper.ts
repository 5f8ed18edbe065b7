/**
 * The pepper of the suppression list: a random secret generated on the
 * installation's first start and kept beside the credentials in
 * `<DATA_DIR>/suppression-pepper` (mode 0600); PANORAMA_SUPPRESSION_PEPPER
 * overrides it (processes on other machines, secret stores).
 *
 * Fails closed. The suppression index holds a check value of the pepper
 * (`pepper-check`, an HMAC of a fixed text, no identifier), written by the
 * first process that starts with one. A process whose pepper differs, or an
 * API that finds no pepper although the installation has one (a lost
 * DATA_DIR), refuses to start: with another pepper every erased person
 * would silently come back with their next record. Only the API (and
 * `npm start`) generate a pepper; an indexer without one refuses to start.
 */
import { errors, type Client } from '@elastic/elasticsearch';
import { randomBytes, createHmac, timingSafeEqual } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  createElasticsearch,
  elasticsearchConnectionOf,
  type ElasticsearchConnectionOptions,
} from './elasticsearch';
import { indexNames } from './names';

export const pepperCheckId = 'pepper-check';
const minPepperLength = 32;

export function pepperPath(dataDir: string): string {
  return path.join(dataDir, 'suppression-pepper');
}

export async function readPepperFile(dataDir: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(pepperPath(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const pepper = text.trim();
  if (pepper.length < minPepperLength)
    throw new Error(
      `${pepperPath(dataDir)} is damaged (shorter than ${minPepperLength} characters): restore it from a backup`,
    );
  return pepper;
}

/**
 * The pepper file, created if absent. Written to a temporary file and
 * hard-linked into place, so two processes starting at once agree on one
 * pepper (the second link fails and that process reads the first's).
 */
export async function ensurePepperFile(
  dataDir: string,
): Promise<{ pepper: string; created: boolean }> {
  const existing = await readPepperFile(dataDir);
  if (existing) return { pepper: existing, created: false };
  await mkdir(dataDir, { recursive: true });
  const target = pepperPath(dataDir);
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  let created = true;
  try {
    await link(temp, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    created = false;
  } finally {
    await unlink(temp).catch(() => {});
  }
  const pepper = await readPepperFile(dataDir);
  if (!pepper) throw new Error(`${target} could not be created`);
  return { pepper, created };
}

function checkValue(pepper: string): string {
  return createHmac('sha256', `panorama-suppression-check:${pepper}`)
    .update('the pepper of this installation')
    .digest('hex');
}

async function readCheck(es: Client, index: string): Promise<string | null | 'no-index'> {
  try {
    const doc = await es.get<{ check?: string }>({ index, id: pepperCheckId });
    return doc._source?.check ?? null;
  } catch (error) {
    if (error instanceof errors.ResponseError && error.meta.statusCode === 404) {
      // 404 for a missing document or a missing index: tell them apart, a missing index must not be created by a write.
      return (await es.indices.exists({ index })) ? null : 'no-index';
    }
    throw error;
  }
}

const mismatch =
  'the suppression pepper of this process differs from the one the installation was started with: ' +
  'erased people would come back with their next record. Give every API and indexer the same pepper ' +
  '(the file DATA_DIR/suppression-pepper of the first start, or PANORAMA_SUPPRESSION_PEPPER)';

/**
 * Compares the pepper with the installation's check value, writing it when
 * there is none yet (create-only: of two first starts, one wins and the
 * other is compared with it). Without the suppression index (mappings not
 * applied yet) there is nothing to compare with.
 */
export async function verifyPepper(es: Client, index: string, pepper: string): Promise<void> {
  let stored = await readCheck(es, index);
  if (stored === 'no-index') return;
  if (stored === null) {
    try {
      await es.create({ index, id: pepperCheckId, document: { check: checkValue(pepper) } });
      return;
    } catch (error) {
      if (!(error instanceof errors.ResponseError && error.meta.statusCode === 409)) throw error;
      stored = await readCheck(es, index);
    }
  }
  const expected = Buffer.from(checkValue(pepper));
  const actual = Buffer.from(typeof stored === 'string' ? stored : '');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual))
    throw new Error(mismatch);
}

/** Whether a pepper was ever used on this installation (its check value is stored). */
export async function installationHasPepper(es: Client, index: string): Promise<boolean> {
  const stored = await readCheck(es, index);
  return typeof stored === 'string';
}

export interface PepperSettings {
  /** PANORAMA_SUPPRESS_ERASED: '1' (default) or '0'. */
  enabled: boolean;
  /** PANORAMA_SUPPRESSION_PEPPER, overriding the file. */
  envPepper: string | undefined;
  dataDir: string;
  es: Client;
  index: string;
}

/**
 * The API's pepper: the environment's, else the file's, else a new one on a
 * fresh installation. With suppression on, refuses (throws) when the
 * installation had a pepper that is gone, or the pepper is not the
 * installation's. Off: no pepper, erasures write no entries.
 */
export async function apiSuppressionPepper(settings: PepperSettings): Promise<string | null> {
  if (!settings.enabled) return null;
  let pepper = settings.envPepper ?? (await readPepperFile(settings.dataDir));
  if (!pepper) {
    if (await installationHasPepper(settings.es, settings.index)) {
      throw new Error(
        `suppression of erased identifiers is on (PANORAMA_SUPPRESS_ERASED=1, the default), but ${pepperPath(settings.dataDir)} is missing ` +
          'although this installation has a pepper: restore the file or set PANORAMA_SUPPRESSION_PEPPER to it ' +
          '(a new pepper would let every erased person come back), or turn suppression off with PANORAMA_SUPPRESS_ERASED=0',
      );
    }
    pepper = (await ensurePepperFile(settings.dataDir)).pepper;
  }
  await verifyPepper(settings.es, settings.index, pepper);
  return pepper;
}

/**
 * An indexer's pepper: the environment's, else the file's; never generated
 * (an indexer on another machine would make its own and check a list no one
 * writes). With suppression on and no pepper it refuses to start. Off: the
 * pepper is still used when there is one, so entries already written are
 * honoured; without one nothing is checked.
 */
export async function indexerSuppressionPepper(settings: PepperSettings): Promise<string | null> {
  const pepper = settings.envPepper ?? (await readPepperFile(settings.dataDir));
  if (!pepper) {
    if (!settings.enabled) return null;
    throw new Error(
      `suppression of erased identifiers is on (PANORAMA_SUPPRESS_ERASED=1, the default), but this indexer has no pepper: ` +
        `start the API once with DATA_DIR=${settings.dataDir} (it creates ${pepperPath(settings.dataDir)}), ` +
        "or set PANORAMA_SUPPRESSION_PEPPER to the API's pepper, or turn suppression off with PANORAMA_SUPPRESS_ERASED=0",
    );
  }
  await verifyPepper(settings.es, settings.index, pepper);
  return pepper;
}

/** Where a process takes its pepper from: its configuration, as its config.ts parsed it. */
export interface ProcessPepperSource extends ElasticsearchConnectionOptions {
  indexPrefix: string;
  dataDir: string;
  /** PANORAMA_SUPPRESS_ERASED */
  suppressErased: '0' | '1';
  /** PANORAMA_SUPPRESSION_PEPPER */
  envPepper: string | undefined;
}

/** The pepper of an API (`npm start` too) or an indexer at start, checked against the installation's. */
export async function pepperOfProcess(
  kind: 'api' | 'indexer',
  source: ProcessPepperSource,
): Promise<string | null> {
  const es = createElasticsearch(elasticsearchConnectionOf(source));
  const settings: PepperSettings = {
    enabled: source.suppressErased === '1',
    envPepper: source.envPepper,
    dataDir: source.dataDir,
    es,
    index: indexNames(source.indexPrefix).suppressions,
  };
  try {
    return await (kind === 'api'
      ? apiSuppressionPepper(settings)
      : indexerSuppressionPepper(settings));
  } finally {
    await es.close();
  }
}
