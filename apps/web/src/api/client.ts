import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { ApiError, type ProblemDetails } from './errors';

export type Schemas = components['schemas'];

/** Set by the session: the bearer token to send, and what to do when the server says it is no longer valid. */
export const auth = {
  token: null as string | null,
  onSessionEnded: (): void => undefined,
};

const bearer: Middleware = {
  onRequest({ request }) {
    if (auth.token) request.headers.set('Authorization', `Bearer ${auth.token}`);
    return request;
  },
  onResponse({ request, response }) {
    // A 401 to a request made with the current token means the session has expired or was ended
    // elsewhere. One made with an older token (sent before a password change) says nothing about
    // the session there is now.
    if (response.status === 401 && auth.token && request.headers.get('Authorization') === `Bearer ${auth.token}`) {
      auth.onSessionEnded();
    }
    return response;
  },
};

/** The typed API client: a wrong path, parameter or body is a type error (types from `npm run api:types`). */
export const api = createClient<paths>({ baseUrl: '/' });
api.use(bearer);

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The data of a call, or an ApiError carrying the problem details (a network failure becomes
 * one too, with status 0), so that screens handle one kind of failure.
 */
export async function call<T>(request: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await request;
  } catch {
    throw new ApiError(0, null);
  }
  if (result.response.ok) return result.data as T;
  const problem =
    result.error && typeof result.error === 'object' && 'status' in result.error
      ? (result.error as ProblemDetails)
      : null;
  throw new ApiError(result.response.status, problem, result.response.headers.get('Retry-After'));
}

type GetPath = { [P in keyof paths]: paths[P] extends { get: unknown } ? P : never }[keyof paths];
/** The query parameters a list endpoint accepts, e.g. `ListQuery<'/api/v1/enterprises'>`. */
export type ListQuery<P extends GetPath> = paths[P] extends { get: { parameters: { query?: infer Q } } }
  ? NonNullable<Q>
  : never;

/**
 * A request outside the typed client (a file to download, a multipart upload), with the same
 * bearer token and the same failures: an ApiError with the problem details, status 0 when the
 * server cannot be reached.
 */
export async function send(path: string, init: RequestInit = {}): Promise<Response> {
  const token = auth.token;
  const headers = new Headers(init.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch {
    throw new ApiError(0, null);
  }
  if (response.ok) return response;
  if (response.status === 401 && token && token === auth.token) auth.onSessionEnded();
  let problem: ProblemDetails | null = null;
  try {
    const body: unknown = await response.json();
    if (body && typeof body === 'object' && 'status' in body) problem = body as ProblemDetails;
  } catch {
    // Not JSON (a proxy's page): the status alone says what happened.
  }
  throw new ApiError(response.status, problem, response.headers.get('Retry-After'));
}
