/**
 * The Elasticsearch client of every process, and the sentences its failures
 * become. A client is made from connection settings (one node or a list, API
 * key or user and password, the CA that signed the cluster's certificate or
 * its fingerprint, or an Elastic Cloud id) or, as before, from a bare URL.
 */
import { Client, errors, type ClientOptions } from '@elastic/elasticsearch';
import { readCaFile } from './ca-file';
import { readFileSync } from 'node:fs';

/**
 * How to reach and authenticate to Elasticsearch. Each field has the
 * environment variable of the same name (infra/src/connection-env.ts), which
 * the messages name.
 *
 * @example
 * { url: 'https://es1:9200,https://es2:9200', apiKey: 'VnVhQ2ZHY0JDZGJrU...', caFile: '/etc/panorama/es-ca.pem' }
 */
export interface ElasticsearchSettings {
  /** `ELASTICSEARCH_URL`: one node or a comma-separated list; the client balances over them and retries on the next. */
  url?: string;
  /** `ELASTICSEARCH_API_KEY`: the encoded key (what `_security/api_key` answers as `encoded`). */
  apiKey?: string;
  /** `ELASTICSEARCH_USERNAME`, with `password`. */
  username?: string;
  /** `ELASTICSEARCH_PASSWORD`, with `username`. */
  password?: string;
  /** `ELASTICSEARCH_CA_FILE`: PEM file of the CA that signed the nodes' HTTP certificates. */
  caFile?: string;
  /**
   * `ELASTICSEARCH_CA_FINGERPRINT`: SHA-256 of that CA certificate (hex, colons allowed). The client
   * then accepts a chain only if it ends in this CA; the nodes must send the CA in their chain.
   */
  caFingerprint?: string;
  /** `ELASTICSEARCH_CLOUD_ID`: an Elastic Cloud deployment, instead of `url`. */
  cloudId?: string;
}

const fingerprintPattern = /^([0-9a-f]{2}:?){31}[0-9a-f]{2}$/i;

/** The nodes of a comma-separated `ELASTICSEARCH_URL`, blanks dropped. */
export function elasticsearchNodes(url: string): string[] {
  return url
    .split(',')
    .map((node) => node.trim())
    .filter((node) => node !== '');
}

function parsedUrl(node: string): URL | undefined {
  try {
    const url = new URL(node);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every problem of a combination of settings, as sentences naming the
 * variables; empty when the settings can make a client. Pure: the CA file is
 * not read here (see {@link elasticsearchClientOptions}).
 */
export function elasticsearchSettingsProblems(settings: ElasticsearchSettings): string[] {
  const problems: string[] = [];
  const nodes = settings.url ? elasticsearchNodes(settings.url) : [];
  if (settings.url && settings.cloudId) {
    problems.push(
      'ELASTICSEARCH_URL and ELASTICSEARCH_CLOUD_ID are both set: set one, the cloud id names the nodes itself.',
    );
  } else if (nodes.length === 0 && !settings.cloudId) {
    problems.push(
      'ELASTICSEARCH_URL is not set: point it to the cluster (or set ELASTICSEARCH_CLOUD_ID).',
    );
  }
  const urls: URL[] = [];
  for (const node of nodes) {
    const url = parsedUrl(node);
    if (url) urls.push(url);
    else
      problems.push(
        `ELASTICSEARCH_URL holds "${node}", which is not an http:// or https:// URL (list nodes separated by commas).`,
      );
  }
  if (settings.cloudId && !/^[^:]*:[A-Za-z0-9+/=_-]+$/.test(settings.cloudId)) {
    problems.push(
      'ELASTICSEARCH_CLOUD_ID is not a cloud id (name:base64, as the Elastic Cloud console shows it).',
    );
  }
  if (settings.apiKey && (settings.username || settings.password)) {
    problems.push(
      `ELASTICSEARCH_API_KEY and ${settings.username ? 'ELASTICSEARCH_USERNAME' : 'ELASTICSEARCH_PASSWORD'} are both set: authenticate with the API key or with a user, not both.`,
    );
  } else if (Boolean(settings.username) !== Boolean(settings.password)) {
    problems.push(
      settings.username
        ? 'ELASTICSEARCH_USERNAME is set without ELASTICSEARCH_PASSWORD: set both.'
        : 'ELASTICSEARCH_PASSWORD is set without ELASTICSEARCH_USERNAME: set both.',
    );
  }
  if (
    urls.some((url) => url.username || url.password) &&
    (settings.apiKey || settings.username || settings.password)
  ) {
    problems.push(
      'ELASTICSEARCH_URL holds credentials and ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME is set too: keep only one of them.',
    );
  }
  if (settings.caFile && settings.caFingerprint) {
    problems.push(
      'ELASTICSEARCH_CA_FILE and ELASTICSEARCH_CA_FINGERPRINT are both set: set one (the CA file is the stricter check).',
    );
  }
  if (settings.caFingerprint && !fingerprintPattern.test(settings.caFingerprint)) {
    problems.push(
      'ELASTICSEARCH_CA_FINGERPRINT is not a SHA-256 fingerprint (64 hex digits, colons allowed).',
    );
  }
  const plain = urls.find((url) => url.protocol === 'http:');
  if (plain && (settings.caFile || settings.caFingerprint)) {
    problems.push(
      `${settings.caFile ? 'ELASTICSEARCH_CA_FILE' : 'ELASTICSEARCH_CA_FINGERPRINT'} is set but ELASTICSEARCH_URL names ${plain.origin} without TLS: use https://.`,
    );
  } else if (plain && urls.some((url) => url.protocol === 'https:')) {
    problems.push(
      'ELASTICSEARCH_URL mixes http:// and https:// nodes: the nodes of one cluster all use TLS or none does.',
    );
  }
  return problems;
}

/**
 * The official client's options for these settings: the node list (the
 * client balances over it, marks a failing node dead and retries the request
 * on the next), API key or basic auth, the CA as trusted root or the pinned
 * CA fingerprint, or the cloud id. Throws one error listing every problem,
 * naming the variables to fix. The CA file is read through `readFile`.
 */
export function elasticsearchClientOptions(
  settings: ElasticsearchSettings,
  readFile: (file: string) => string = (file) => readFileSync(file, 'utf8'),
): ClientOptions {
  const problems = elasticsearchSettingsProblems(settings);
  if (problems.length > 0) throw new Error(problems.join(' '));
  const options: ClientOptions = { requestTimeout: 30_000, maxRetries: 3 };
  if (settings.cloudId) options.cloud = { id: settings.cloudId };
  else options.nodes = elasticsearchNodes(settings.url ?? '');
  if (settings.apiKey) options.auth = { apiKey: settings.apiKey };
  else if (settings.username && settings.password)
    options.auth = { username: settings.username, password: settings.password };
  if (settings.caFile)
    options.tls = {
      ca: readCaFile(
        'ELASTICSEARCH_CA_FILE',
        settings.caFile,
        readFile,
        ' (a .p12 keystore can be converted with openssl pkcs12 -in ca.p12 -nokeys -out ca.pem)',
      ),
    };
  if (settings.caFingerprint) {
    options.caFingerprint = settings.caFingerprint;
    // The fingerprint replaces the trust store: without this Node refuses the
    // private CA before the client gets to compare its fingerprint.
    options.tls = { rejectUnauthorized: false };
  }
  return options;
}

/**
 * One client per process; the official client pools connections itself. A
 * string is `ELASTICSEARCH_URL` alone (a node or a list, no other settings),
 * as before settings existed.
 */
export function createElasticsearch(connection: string | ElasticsearchSettings): Client {
  return new Client(
    elasticsearchClientOptions(typeof connection === 'string' ? { url: connection } : connection),
  );
}

export function isNotFound(error: unknown): boolean {
  return error instanceof errors.ResponseError && error.meta.statusCode === 404;
}

export function isConflict(error: unknown): boolean {
  return error instanceof errors.ResponseError && error.meta.statusCode === 409;
}

/** What Node says when it does not trust a certificate (the client keeps only the message). */
const untrustedCertificate =
  /self[- ]signed certificate|unable to verify the first certificate|unable to get (local )?issuer certificate|certificate signature failure/i;

function describeConnectionFailure(message: string): string {
  if (/CA fingerprint does not match/i.test(message)) {
    return (
      'The certificate of Elasticsearch is not signed by the CA of ELASTICSEARCH_CA_FINGERPRINT: ' +
      'check the fingerprint (SHA-256 of the CA certificate) or use ELASTICSEARCH_CA_FILE.'
    );
  }
  if (/Invalid or malformed certificate/i.test(message)) {
    return (
      'Elasticsearch sends no CA in its certificate chain, so ELASTICSEARCH_CA_FINGERPRINT cannot be checked: ' +
      'set ELASTICSEARCH_CA_FILE to the CA certificate instead.'
    );
  }
  if (untrustedCertificate.test(message)) {
    return (
      `The certificate of Elasticsearch is not trusted (${message.split(' - ')[0]}): ` +
      'set ELASTICSEARCH_CA_FILE to the CA that signed it (PEM) or ELASTICSEARCH_CA_FINGERPRINT to its SHA-256 fingerprint.'
    );
  }
  if (/certificate has expired|certificate is not yet valid/i.test(message)) {
    return `The certificate of Elasticsearch is not valid now (${message.split(' - ')[0]}): renew the nodes' HTTP certificates.`;
  }
  if (/altnames|does not match certificate/i.test(message)) {
    return (
      `The certificate of Elasticsearch is not for the host in ELASTICSEARCH_URL (${message.split(' - ')[0]}): ` +
      'use a host name the certificate names.'
    );
  }
  if (/wrong version number|packet length too long|unknown protocol/i.test(message)) {
    return 'Elasticsearch answers without TLS: ELASTICSEARCH_URL should start with http://, not https://.';
  }
  if (/other side closed|socket hang up|ECONNRESET/i.test(message)) {
    // A node with TLS on HTTP hangs up on a plain-text request.
    return (
      'Elasticsearch closed the connection without answering: if the cluster uses TLS, ' +
      'ELASTICSEARCH_URL must start with https://; else check that it runs and that ELASTICSEARCH_URL points to it.'
    );
  }
  const unknownHost = /getaddrinfo (?:ENOTFOUND|EAI_AGAIN) (\S+)/.exec(message);
  if (unknownHost) {
    return (
      `Elasticsearch cannot be reached: the host ${unknownHost[1]} is not known; ` +
      'check ELASTICSEARCH_URL, or ELASTICSEARCH_CLOUD_ID for an Elastic Cloud deployment.'
    );
  }
  return 'Elasticsearch cannot be reached: check that it runs and that ELASTICSEARCH_URL points to it.';
}

/**
 * The variables behind the identity Elasticsearch names in a 401 or 403
 * reason (the client redacts the request's own headers).
 */
function credentialVariables(reason: string | undefined): string {
  if (reason && /API key/i.test(reason)) return 'ELASTICSEARCH_API_KEY';
  if (reason && /(for|authenticate) user \[/i.test(reason))
    return 'ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD';
  return 'ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD, or ELASTICSEARCH_API_KEY';
}

function roleHolder(reason: string | undefined): string {
  if (reason && /API key/i.test(reason)) return 'the API key of ELASTICSEARCH_API_KEY';
  if (reason && /for user \[/i.test(reason)) return 'the user of ELASTICSEARCH_USERNAME';
  return 'the user of ELASTICSEARCH_USERNAME or the API key of ELASTICSEARCH_API_KEY';
}

/** A sentence that says what to check when Elasticsearch fails. */
export function describeElasticsearchError(error: unknown): string {
  if (error instanceof errors.ConnectionError) {
    return describeConnectionFailure(error.message);
  }
  if (error instanceof errors.NoLivingConnectionsError) {
    return 'No node of ELASTICSEARCH_URL can be reached: check that the cluster runs and that the list points to it.';
  }
  if (error instanceof errors.TimeoutError) {
    return 'Elasticsearch did not answer in time: it may be overloaded; try again.';
  }
  if (error instanceof errors.ResponseError) {
    const reason = (error.meta.body as { error?: { reason?: string } } | undefined)?.error?.reason;
    if (error.meta.statusCode === 401) {
      const variables = credentialVariables(reason);
      return reason && /missing authentication credentials/i.test(reason)
        ? `Elasticsearch requires credentials: set ${variables}.`
        : `Elasticsearch rejected the credentials (401${reason ? `: ${reason}` : ''}): check ${variables}.`;
    }
    if (error.meta.statusCode === 403) {
      return (
        `Elasticsearch refused the request for lack of a privilege (403${reason ? `: ${reason}` : ''}): ` +
        `grant it to the role of ${roleHolder(reason)}.`
      );
    }
    return `Elasticsearch refused the request (${error.meta.statusCode}${reason ? `: ${reason}` : ''}).`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * How a process's options name the cluster: the settings of its
 * configuration (`elasticsearch`) or, as tests and benchmarks do, a bare URL
 * (`elasticsearchUrl`); the settings win when both are given.
 */
export interface ElasticsearchConnectionOptions {
  elasticsearchUrl?: string;
  elasticsearch?: ElasticsearchSettings;
}

/** What {@link createElasticsearch} takes for such options; throws when neither is given. */
export function elasticsearchConnectionOf(
  options: ElasticsearchConnectionOptions,
): string | ElasticsearchSettings {
  const connection = options.elasticsearch ?? options.elasticsearchUrl;
  if (connection === undefined) {
    throw new Error(
      'ELASTICSEARCH_URL is not set: point it to the cluster (or set ELASTICSEARCH_CLOUD_ID).',
    );
  }
  return connection;
}
