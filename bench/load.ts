import autocannon from 'autocannon';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

export interface LoadSpec {
  /** What each request is; called per request, so paths and bodies can vary. */
  next: () => LoadRequest;
  token?: string;
  /** Statuses that count as expected outcomes rather than errors (a 409 in a conflict burst). */
  expected?: number[];
  /** Sees every response, e.g. to learn a resource's new version. */
  onResponse?: (status: number, body: string, request: LoadRequest) => void;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  statuses: Record<string, number>;
}

/** Drives one scenario against a base URL for `duration` seconds with `connections` at once. */
export async function drive(base: string, spec: LoadSpec, connections: number, duration: number): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const prefix = new URL(base).pathname.replace(/\/$/, '');
  if (spec.token) headers.authorization = `Bearer ${spec.token}`;
  const options = {
    url: base,
    connections,
    duration,
    headers,
    requests: [
      {
        setupRequest: (request: Record<string, unknown>, context: Record<string, unknown>) => {
          const next = spec.next();
          context.request = next;
          return { ...request, method: next.method, path: prefix + next.path, body: next.body, headers };
        },
        onResponse: (status: number, body: string, context: Record<string, unknown>) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
          spec.onResponse?.(status, body, context.request as LoadRequest);
        },
      },
    ],
  } as unknown as autocannon.Options;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, done) => (error ? reject(error as Error) : resolve(done)));
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
    });
  });
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] : NaN;
  const ok = (status: number) => (status >= 200 && status < 300) || (spec.expected ?? []).includes(status);
  const unexpected = Object.entries(statuses)
    .filter(([status]) => !ok(Number(status)))
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    requests: latencies.length,
    rps: latencies.length / duration,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    errors: unexpected + result.errors + result.timeouts,
    statuses,
  };
}
