import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Pool, PoolClient } from 'pg';
import { KEYDESK_SQL as SQL } from './keydesk-sql';

/**
 * The bare reference: node:http and pg with nothing in between. It checks the same HS256 JWT
 * and runs the same SQL as keydesk (captured from PostgreSQL's log), and the same Redis calls
 * (a PING and both queues' counts through BullMQ), for the health check, an enterprise's
 * detail, page 1 of the ledger (a commissioner's, and the city-wide supervisor's), the overdue
 * problem list, the review queue and logging a visit with two demands and a
 * problem. What keydesk adds on top (validation, problem details, the framework,
 * the after-commit enqueue) is what the ratio in the benchmark measures.
 */
const secret = process.env.JWT_SECRET ?? '';
const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
});
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
// keydesk's health also reports both queues' counts: the same BullMQ call, on the same connection.
const queues = ['reminders', 'webhooks'].map(
  (name) => new Queue(name, { connection: redis, prefix: process.env.QUEUE_PREFIX ?? 'bull' }),
);
const SLA_DAYS: Record<string, number> = { urgent: 1, high: 3, normal: 7, low: 15 };
const DAY = 24 * 3600 * 1000;

interface VisitInput {
  visitedAt: string;
  method: string;
  summary: string;
  demands?: { occupation: string; occupationCategory: string; headcount: number; filledCount?: number }[];
  problems?: { title: string; category: string; priority?: string }[];
}

function verifyJwt(header: string | undefined): string | null {
  const token = header?.startsWith('Bearer ') ? header.slice(7) : '';
  const [head, body, signature] = token.split('.');
  if (!head || !body || !signature) return null;
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  if (expected.length !== signature.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(signature)))
    return null;
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as { sub?: string; exp?: number };
  if (!claims.sub || (claims.exp ?? 0) * 1000 < Date.now()) return null;
  return claims.sub;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  response.end(json);
}

async function readBody(request: IncomingMessage): Promise<VisitInput> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as VisitInput;
}

async function actor(request: IncomingMessage): Promise<{ id: string; role: string } | null> {
  const id = verifyJwt(request.headers.authorization);
  if (!id) return null;
  const { rows } = await pool.query(SQL.caller, [id]);
  return rows[0]?.active ? { id, role: rows[0].role as string } : null;
}

async function enterpriseDetail(userId: string, id: string): Promise<unknown> {
  // keydesk holds the settings while their version (read with the caller) is unchanged: no read here.
  const { rows } = await pool.query(SQL.enterpriseDetailWithFigures, [new Date(), userId, id]);
  if (!rows[0]) return null;
  const { vacancyStructure, problems, ...enterprise } = rows[0] as Record<string, unknown> & {
    problems: { open: number; overdue: number };
  };
  return { ...enterprise, vacancyStructure, openProblems: problems.open, overdueProblems: problems.overdue };
}

/** Page 1 of 20 from 21 rows (the last says a next page exists), with the cursor keydesk would give. */
function firstPage(rows: Record<string, unknown>[], total: number): unknown {
  const items = rows.slice(0, 20).map(({ keyset_0: _value, keyset_1: _id, ...item }) => item);
  const last = rows.length > 20 ? rows[19] : undefined;
  const nextCursor = last
    ? Buffer.from(JSON.stringify({ v: [last.keyset_0], id: last.keyset_1 })).toString('base64url')
    : null;
  return { items, total, page: 1, pageSize: 20, nextCursor };
}

async function ledger(who: { id: string; role: string }): Promise<unknown> {
  const [count, list] =
    who.role === 'commissioner'
      ? await Promise.all([
          pool.query(SQL.commissionerCount, [who.id, 'active']),
          pool.query(SQL.commissionerPage, [who.id, 'active']),
        ])
      : await Promise.all([pool.query(SQL.ledgerRolledUpTotal), pool.query(SQL.ledgerPage, ['active'])]);
  // keydesk works out each row's visit cadence from the settings it holds: a constant here.
  const rows = list.rows.map((row: Record<string, unknown>) => ({
    ...row,
    visitCadenceDays: row.visitCadenceDays ?? 30,
  }));
  return firstPage(rows, Number(count.rows[0].total));
}

async function problemList(countSql: string, listSql: string, param: unknown): Promise<unknown> {
  const [count, list] = await Promise.all([pool.query(countSql, [param]), pool.query(listSql, [param])]);
  return firstPage(list.rows, Number(count.rows[0].total));
}

async function logVisit(userId: string, enterpriseId: string, input: VisitInput): Promise<unknown> {
  const client: PoolClient = await pool.connect();
  const requestId = randomUUID();
  let visitId: string;
  try {
    await client.query('START TRANSACTION');
    const locked = await client.query(SQL.lockEnterprise, [enterpriseId]);
    if (!locked.rows[0]) throw new Error('not found');
    const now = new Date();
    const visit = await client.query(SQL.insertVisit, [
      enterpriseId,
      userId,
      new Date(input.visitedAt),
      input.method,
      input.summary,
      null,
      null,
      null,
      null,
      null,
      now,
    ]);
    visitId = visit.rows[0].id;
    // No occupation-category lookup: keydesk remembers the codes it has seen, so once warm it runs none.
    // The bench's visits carry two demands: one insert, one shortage refresh, one audit insert.
    const demands = input.demands ?? [];
    if (demands.length !== 2) throw new Error('the reference logs visits with two demands');
    const demandRows = demands.flatMap((demand) => {
      const filled = demand.filledCount ?? 0;
      return [
        enterpriseId,
        demand.occupation,
        demand.occupationCategory,
        demand.headcount,
        filled,
        null,
        null,
        null,
        null,
        'normal',
        filled === demand.headcount ? 'filled' : 'open',
        visitId,
        userId,
        1,
        now,
        now,
      ];
    });
    const created = await client.query(SQL.insertDemands2, demandRows);
    await client.query(SQL.refreshShortage, [enterpriseId]);
    await client.query(
      SQL.insertAudits2,
      created.rows.flatMap((row: { id: string }) => [
        userId,
        'demand.created',
        'demand',
        row.id,
        requestId,
        { enterpriseId },
        now,
      ]),
    );
    for (const problem of input.problems ?? []) {
      await client.query(SQL.settings, [1]);
      const priority = problem.priority ?? 'normal';
      const created = await client.query(SQL.insertProblem, [
        enterpriseId,
        problem.title,
        '',
        problem.category,
        priority,
        userId,
        now,
        new Date(now.getTime() + SLA_DAYS[priority] * DAY),
        'open',
        0,
        visitId,
        userId,
        1,
        now,
        now,
      ]);
      await client.query(SQL.insertProblemEvent, [
        created.rows[0].id,
        'created',
        null,
        null,
        'open',
        userId,
        null,
        null,
        now,
      ]);
      await client.query(SQL.insertAudit, [
        userId,
        'problem.created',
        'problem',
        created.rows[0].id,
        requestId,
        { enterpriseId },
        now,
      ]);
    }
    const schedule = await client.query(SQL.scheduleSelect, [[enterpriseId]]);
    const row = schedule.rows[0];
    const next = new Date(new Date(row.visitedAt).getTime() + (row.visitCadenceDays ?? 30) * DAY);
    await client.query(SQL.scheduleUpdate, [[enterpriseId], [row.visitedAt], [next]]);
    await client.query(SQL.insertAudit, [userId, 'visit.created', 'visit', visitId, requestId, { enterpriseId }, now]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  const [view, links] = await Promise.all([
    pool.query(SQL.visitView, [userId, visitId]),
    pool.query(SQL.visitLinks, [[visitId]]),
  ]);
  return { ...view.rows[0], links: links.rows };
}

const server = createServer((request, response) => {
  void (async () => {
    const url = request.url ?? '/';
    if (url === '/health') {
      const [, , ...counts] = await Promise.all([
        pool.query('SELECT 1'),
        redis.ping(),
        ...queues.map((queue) => queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'failed')),
      ]);
      return send(response, 200, { status: 'ok', queues: counts });
    }
    const who = await actor(request);
    if (!who) return send(response, 401, { status: 401 });
    let match: RegExpMatchArray | null;
    if (request.method === 'GET' && (match = url.match(/^\/enterprises\/([0-9a-f-]{36})$/))) {
      const detail = await enterpriseDetail(who.id, match[1]);
      return detail ? send(response, 200, detail) : send(response, 404, { status: 404 });
    }
    if (request.method === 'GET' && url === '/enterprises?page=1&pageSize=20') {
      return send(response, 200, await ledger(who));
    }
    if (request.method === 'GET' && url.startsWith('/problems?overdue=true')) {
      return send(response, 200, await problemList(SQL.overdueCount, SQL.overdueList, new Date()));
    }
    if (request.method === 'GET' && url.startsWith('/problems?status=resolved')) {
      return send(response, 200, await problemList(SQL.reviewCount, SQL.reviewList, 'resolved'));
    }
    if (request.method === 'POST' && (match = url.match(/^\/enterprises\/([0-9a-f-]{36})\/visits$/))) {
      const { rows } = await pool.query(SQL.existsInScope, [who.id, match[1]]);
      if (!rows[0]) return send(response, 404, { status: 404 });
      return send(response, 201, await logVisit(who.id, match[1], await readBody(request)));
    }
    send(response, 404, { status: 404 });
  })().catch((error: Error) => send(response, 500, { status: 500, detail: error.message }));
});

server.listen(Number(process.env.PORT ?? 3181), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  void pool.end();
  void Promise.all(queues.map((queue) => queue.close())).then(() => redis.disconnect());
});
