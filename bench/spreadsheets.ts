import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import { Pool } from 'pg';
import { TIER_LABELS } from '@keydesk/database';
import { IMPORT_COLUMNS } from '@keydesk/domain';
import { generateEnterprises } from '../apps/cli/src/demo/demo-data';
import { BENCH_PASSWORD } from './env';
import { httpReady, startProcess } from './processes';

export interface ExportResult {
  format: 'xlsx' | 'csv';
  rows: number;
  megabytes: number;
  seconds: number;
}

export interface FileResults {
  exports: ExportResult[];
  /** The API that served only the exports: its peak resident memory. */
  exportApiPeakRssMb: number;
  import: {
    rows: number;
    megabytes: number;
    uploadSeconds: number;
    validateSeconds: number;
    applySeconds: number;
    counts: Record<string, number>;
    workerPeakRssMb: number;
    apiPeakRssMb: number;
  };
}

const FILES_API_PORT = 3182;
const IMPORT_NAME_PREFIX = '导入测试';
/** Far from the bench city's seed, so the file's credit codes are new enterprises. */
const IMPORT_SEED = 9157;

/**
 * Excel in and out at city scale, each through its real path and on its own processes, so that
 * each peak RSS is that work's alone: the whole ledger exported as xlsx and as CSV by an admin
 * (streamed to nowhere, timed to the last byte), then a district office's file of `rows` new
 * enterprises in the template uploaded, validated by the worker and applied. The imported
 * enterprises are removed afterwards, leaving the bench city as it was.
 */
export async function benchFiles(pool: Pool, env: Record<string, string>, rows: number): Promise<FileResults> {
  const base = `http://127.0.0.1:${FILES_API_PORT}/api/v1`;
  const dir = mkdtempSync(join(tmpdir(), 'keydesk-bench-files-'));
  let api = await startApi(env);
  try {
    const token = await login(base, 'bench.admin');
    const exports: ExportResult[] = [];
    const total = Number((await pool.query(`SELECT count(*)::int AS n FROM enterprises`)).rows[0].n);
    for (const format of ['xlsx', 'csv'] as const) {
      const at = performance.now();
      const response = await fetch(`${base}/enterprises/export.${format}?status=all`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.status !== 200) throw new Error(`export.${format} answered ${response.status}`);
      let bytes = 0;
      for await (const chunk of response.body!) bytes += (chunk as Uint8Array).byteLength;
      const result = { format, rows: total, megabytes: bytes / 1e6, seconds: (performance.now() - at) / 1000 };
      exports.push(result);
      console.log(
        `export.${format}: ${total} rows, ${result.megabytes.toFixed(1)} MB in ${result.seconds.toFixed(1)} s`,
      );
    }
    const exportApiPeakRssMb = api.peakRssMb();
    console.log(`export API peak RSS ${exportApiPeakRssMb} MB`);
    await api.stop();

    // A fresh API for the upload, beside the worker that validates and applies.
    api = await startApi(env);
    const file = join(dir, 'enterprises.xlsx');
    await writeImportFile(pool, file, rows);
    const megabytes = statSync(file).size / 1e6;
    const worker = await startProcess(
      'dist/apps/worker/src/main.js',
      env,
      async () => (await pool.query(`SELECT 1`)).rowCount === 1,
    );
    try {
      const adminToken = await login(base, 'bench.admin');
      const form = new FormData();
      form.append('file', new Blob([readFileSync(file)]), 'enterprises.xlsx');
      const uploadAt = performance.now();
      const uploaded = await fetch(`${base}/imports/enterprises`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}` },
        body: form,
      });
      if (uploaded.status !== 201) throw new Error(`upload answered ${uploaded.status}: ${await uploaded.text()}`);
      const uploadSeconds = (performance.now() - uploadAt) / 1000;
      const { id } = (await uploaded.json()) as { id: string };
      const validated = await waitForState(base, adminToken, id, ['validated', 'failed']);
      const validateSeconds = (performance.now() - uploadAt) / 1000;
      if (validated.state !== 'validated') throw new Error(`validation ended ${JSON.stringify(validated)}`);
      console.log(`import: ${rows} rows (${megabytes.toFixed(1)} MB) validated in ${validateSeconds.toFixed(1)} s`);
      const applyAt = performance.now();
      const applying = await fetch(`${base}/imports/${id}/apply`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ mode: 'valid-rows' }),
      });
      if (applying.status !== 202) throw new Error(`apply answered ${applying.status}: ${await applying.text()}`);
      const applied = await waitForState(base, adminToken, id, ['applied', 'failed']);
      const applySeconds = (performance.now() - applyAt) / 1000;
      if (applied.state !== 'applied') throw new Error(`apply ended ${JSON.stringify(applied)}`);
      console.log(`import: applied in ${applySeconds.toFixed(1)} s, ${JSON.stringify(applied.counts)}`);
      return {
        exports,
        exportApiPeakRssMb,
        import: {
          rows,
          megabytes,
          uploadSeconds,
          validateSeconds,
          applySeconds,
          counts: applied.counts,
          workerPeakRssMb: worker.peakRssMb(),
          apiPeakRssMb: api.peakRssMb(),
        },
      };
    } finally {
      await worker.stop();
    }
  } finally {
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
    await removeImported(pool);
  }
}

function startApi(env: Record<string, string>) {
  return startProcess('dist/apps/api/src/main.js', { ...env, PORT: String(FILES_API_PORT) }, () =>
    httpReady(`http://127.0.0.1:${FILES_API_PORT}/api/v1/health`),
  );
}

async function login(base: string, username: string): Promise<string> {
  const response = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: BENCH_PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`login of ${username} answered ${response.status}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

interface ImportState {
  state: string;
  rowsDone: number;
  counts: Record<string, number>;
}

async function waitForState(base: string, token: string, id: string, states: string[]): Promise<ImportState> {
  const deadline = Date.now() + 15 * 60000;
  for (;;) {
    const response = await fetch(`${base}/imports/${id}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as ImportState;
    if (states.includes(body.state)) return body;
    if (Date.now() > deadline) throw new Error(`import ${id} still ${body.state} after 15 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The template's columns, filled as a district office would: Chinese names for the codes. */
async function writeImportFile(pool: Pool, path: string, rows: number): Promise<void> {
  const names = async (table: string) =>
    new Map(
      (await pool.query<{ code: string; name: string }>(`SELECT code, name FROM ${table}`)).rows.map((r) => [
        r.code,
        r.name,
      ]),
    );
  const [districts, industries] = [await names('districts'), await names('industries')];
  const commissioners = (
    await pool.query<{ username: string }>(
      `SELECT username FROM users WHERE role = 'commissioner' AND active ORDER BY username`,
    )
  ).rows.map((r) => r.username);
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: createWriteStream(path), useSharedStrings: true });
  const sheet = writer.addWorksheet('企业台账');
  // The template's header row, in its order: the columns below follow it.
  sheet.addRow(IMPORT_COLUMNS.map((column) => column.header)).commit();
  // Only credit codes the city does not have: every row of the file is a new enterprise.
  const existing = new Set(
    (await pool.query<{ code: string }>(`SELECT credit_code AS code FROM enterprises`)).rows.map((r) => r.code),
  );
  const fresh = generateEnterprises(rows * 2, IMPORT_SEED, { numberRepeatedNames: true })
    .filter((e) => !existing.has(e.creditCode))
    .slice(0, rows);
  fresh.forEach((e, i) =>
    sheet
      .addRow([
        `${IMPORT_NAME_PREFIX}${e.name}`,
        e.creditCode,
        industries.get(e.industryCode) ?? e.industryCode,
        districts.get(e.districtCode) ?? e.districtCode,
        e.address,
        TIER_LABELS[e.tier],
        e.employeeCount,
        e.contactName,
        e.contactPhone,
        i % 4 === 0 ? '' : commissioners[i % commissioners.length],
      ])
      .commit(),
  );
  sheet.commit();
  await writer.commit();
}

/** Everything the import wrote, so that the next scenario meets the bench city as seeded. */
async function removeImported(pool: Pool): Promise<void> {
  const ids = `SELECT id FROM enterprises WHERE name LIKE '${IMPORT_NAME_PREFIX}%'`;
  const { rows: referencing } = await pool.query<{ table: string; column: string }>(
    `SELECT c.conrelid::regclass::text AS table, a.attname AS column
       FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      WHERE c.contype = 'f' AND c.confrelid = 'enterprises'::regclass`,
  );
  for (const { table, column } of referencing) await pool.query(`DELETE FROM ${table} WHERE ${column} IN (${ids})`);
  await pool.query(`DELETE FROM notifications WHERE subject_id IN (${ids})`);
  await pool.query(`DELETE FROM audit_events WHERE entity_id IN (${ids})`);
  await pool.query(`DELETE FROM enterprises WHERE id IN (${ids})`);
  await pool.query(`DELETE FROM imports`);
  await pool.query('SELECT rebuild_rollups()');
}
