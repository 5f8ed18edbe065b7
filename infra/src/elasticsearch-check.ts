/**
 * The start-up check of the Elasticsearch connection: who the cluster says we
 * are (`_security/_authenticate`), whether that identity holds what Panorama
 * needs (`_security/user/_has_privileges`) and whether the cluster is healthy.
 * A failure becomes one sentence naming the variable to fix.
 *
 * What Panorama does with its indices, and the privilege that allows it
 * (read from the `es.` calls of mappings/, store/, indexers/, server/, infra/):
 * - search, msearch, count, get, mget, open/close point in time → `read`;
 * - index, create, update, delete, bulk (index, update and delete actions) → `write`;
 * - indices create, delete, exists, get, aliases (exists, get, put, the atomic
 *   `_aliases` swap of mappings/apply.ts), refresh and `_cat/indices` of the
 *   daily snapshot indices → `manage`: aliases need `manage` on the index and
 *   the alias alike, and it covers create_index, delete_index,
 *   view_index_metadata, monitor and maintenance (refresh);
 * - `/readyz` asks for the cluster health → cluster `monitor`.
 * Panorama uses no index templates, ingest pipelines, ILM, `_reindex`,
 * update/delete-by-query or snapshot repositories (its "snapshots" are
 * `<prefix>-snapshots-<day>` indices), so it needs no other cluster privilege.
 */
import type { Client, estypes } from '@elastic/elasticsearch';
import { errors } from '@elastic/elasticsearch';
import { describeElasticsearchError } from './elasticsearch';

/** The privileges of one Panorama installation, whose indices all start with `<prefix>-`. */
export interface PanoramaPrivileges {
  cluster: estypes.SecurityClusterPrivilege[];
  index: { names: string[]; privileges: estypes.SecurityIndexPrivilege[] }[];
}

/**
 * What the API, the indexers and `mappings:apply` need, on the indices of
 * `prefix` only. Note that `panorama-*` also matches the indices of a prefix
 * `panorama-test`: give installations sharing a cluster prefixes that do not
 * start with one another.
 */
export function panoramaPrivileges(prefix: string): PanoramaPrivileges {
  return {
    cluster: ['monitor'],
    index: [{ names: [`${prefix}-*`], privileges: ['read', 'write', 'manage'] }],
  };
}

/** What {@link checkElasticsearch} found. */
export interface ElasticsearchCheck {
  /** The user Elasticsearch authenticated (the owner, for an API key); null when security is off. */
  user: string | null;
  /** `api_key`, `realm`, …; null when security is off. */
  authenticationType: string | null;
  status: estypes.HealthStatus;
  /** What does not stop a start but should be told, e.g. a red cluster. */
  warnings: string[];
}

/** Options for {@link checkElasticsearch}. */
export interface CheckElasticsearchOptions {
  /** The index prefix whose privileges are checked. Default `panorama`. */
  prefix?: string;
  /** Default {@link panoramaPrivileges} of `prefix`. */
  privileges?: PanoramaPrivileges;
}

function bodyText(error: errors.ResponseError): string {
  const body: unknown = error.meta.body;
  return typeof body === 'string' ? body : JSON.stringify(body ?? '');
}

/**
 * A cluster with security off has no `_security` endpoints: it answers 400 "no
 * handler found" (or 405 when another route shares the path).
 */
function isSecurityOff(error: unknown): boolean {
  return (
    error instanceof errors.ResponseError &&
    [400, 404, 405, 500].includes(error.meta.statusCode ?? 0) &&
    /no handler found|Incorrect HTTP method|security (is )?(not enabled|disabled)|Security must be explicitly enabled/i.test(
      bodyText(error),
    )
  );
}

function fail(error: unknown): never {
  throw new Error(describeElasticsearchError(error), { cause: error });
}

function missingPrivileges(answer: estypes.SecurityHasPrivilegesResponse): string[] {
  const missing: string[] = [];
  const cluster = Object.entries(answer.cluster ?? {}).filter(([, held]) => !held);
  if (cluster.length > 0) missing.push(`cluster ${cluster.map(([name]) => name).join(', ')}`);
  for (const [index, privileges] of Object.entries(answer.index ?? {})) {
    const lacking = Object.entries(privileges).filter(([, held]) => !held);
    if (lacking.length > 0) missing.push(`${lacking.map(([name]) => name).join(', ')} on ${index}`);
  }
  return missing;
}

function describePrivileges(privileges: PanoramaPrivileges): string {
  return [
    `cluster ${privileges.cluster.join(', ')}`,
    ...privileges.index.map((i) => `${i.privileges.join(', ')} on ${i.names.join(', ')}`),
  ].join('; ');
}

/**
 * Checks that the client reaches the cluster, that its credentials are
 * accepted and hold Panorama's privileges, and reads the cluster health.
 * Throws one sentence naming what to fix: the certificate
 * (ELASTICSEARCH_CA_FILE / _FINGERPRINT), the credentials (401), the missing
 * privileges by name, or an unreachable cluster. On a cluster with security
 * off only the health is read.
 *
 * @example
 * const check = await checkElasticsearch(es, { prefix: config.PANORAMA_INDEX_PREFIX });
 * for (const warning of check.warnings) log.warn(warning);
 */
export async function checkElasticsearch(
  es: Client,
  options: CheckElasticsearchOptions = {},
): Promise<ElasticsearchCheck> {
  const prefix = options.prefix ?? 'panorama';
  const privileges = options.privileges ?? panoramaPrivileges(prefix);
  let identity: estypes.SecurityAuthenticateResponse | null = null;
  try {
    identity = await es.security.authenticate();
  } catch (error) {
    if (!isSecurityOff(error)) fail(error);
  }

  if (identity) {
    let answer: estypes.SecurityHasPrivilegesResponse;
    try {
      answer = await es.security.hasPrivileges({
        cluster: privileges.cluster,
        index: privileges.index,
      });
    } catch (error) {
      fail(error);
    }
    if (!answer.has_all_requested) {
      const who =
        identity.authentication_type === 'api_key'
          ? `The API key of ELASTICSEARCH_API_KEY (user ${identity.username})`
          : `The Elasticsearch user ${identity.username} of ELASTICSEARCH_USERNAME`;
      throw new Error(
        `${who} lacks ${missingPrivileges(answer).join('; ')}: grant its role what Panorama needs (${describePrivileges(privileges)}).`,
      );
    }
  }

  let health: estypes.ClusterHealthResponse;
  try {
    health = await es.cluster.health({ timeout: '5s' });
  } catch (error) {
    fail(error);
  }
  const warnings =
    health.status === 'red'
      ? [
          `The Elasticsearch cluster ${health.cluster_name} is red: some primary shards are unassigned and their data cannot be read or written.`,
        ]
      : [];
  return {
    user: identity?.username ?? null,
    authenticationType: identity?.authentication_type ?? null,
    status: health.status,
    warnings,
  };
}
