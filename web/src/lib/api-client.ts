/**
 * The one API client: adds the bearer token, turns the contract's error body
 * into an `ApiError` whose message a person can act on, and on 401 ends the
 * session and sends the user to the login page.
 */
import { getSession, setSession } from './auth-session';
import type { ErrorBody } from './domain-types';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: { path: string; message: string }[];

  constructor(
    status: number,
    code: string,
    message: string,
    details: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** Repeatable query parameters: arrays become `key=a&key=b`; null/undefined/'' are left out. */
  params?: Record<string, string | number | readonly string[] | null | undefined>;
  /** For the login call: a 401 there means wrong credentials, not an ended session. */
  skipAuthRedirect?: boolean;
  /** Send no token (the login: a stale token there would be refused before the password is looked at). */
  anonymous?: boolean;
}

export function buildQuery(params: RequestOptions['params']): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value)) for (const v of value) search.append(key, v);
    else search.append(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

function redirectToLogin(): void {
  setSession(null);
  if (window.location.pathname !== '/login') {
    const next = window.location.pathname + window.location.search;
    window.location.assign(`/login?next=${encodeURIComponent(next)}`);
  }
}

async function readError(response: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> | null = null;
  try {
    body = (await response.json()) as Partial<ErrorBody>;
  } catch {
    // Not JSON (a proxy error page, an empty body): fall back to the status line below.
  }
  const error = body?.error;
  if (error?.message)
    return new ApiError(response.status, error.code ?? 'error', error.message, error.details ?? []);
  const fallback =
    response.status === 502 || response.status === 503 || response.status === 504
      ? `The API server is not reachable (HTTP ${response.status}). Is it running on port 8080?`
      : `The server answered HTTP ${response.status} ${response.statusText}.`;
  return new ApiError(response.status, 'http_error', fallback);
}

/** Fetches `/api/v1{path}` and returns the parsed JSON body, or throws an `ApiError`. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const session = getSession();
  if (session && !options.anonymous) headers.Authorization = `Bearer ${session.token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(`/api/v1${path}${buildQuery(options.params)}`, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      // Merged profiles answer 308 to the survivor: follow it (same origin keeps the token).
      redirect: 'follow',
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(
      0,
      'network_error',
      'Cannot reach the Panorama server. Check your connection and that the server runs.',
    );
  }

  if (response.status === 401 && !options.skipAuthRedirect) {
    redirectToLogin();
    throw await readError(response);
  }
  if (!response.ok) throw await readError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    apiRequest<T>(path, options),
  post: <T>(path: string, body: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    apiRequest<T>(path, { ...options, method: 'POST', body }),
};

/** A sentence for any error thrown by a query, for the user. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
