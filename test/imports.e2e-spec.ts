import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { Response } from 'superagent';
import { ImportsService } from '@keydesk/domain';
import { IMPORT_JOB, importJobId, QUEUE } from '@keydesk/queue';
import { createEnterprise, uniqueCreditCode } from './factories/enterprises.factory';
import { createUser, TestUser } from './factories/users.factory';
import { createTestApp, TestApp } from './support/test-app';
import { startWorker, TestWorker, waitFor } from './support/worker';

const HEADERS = [
  '企业名称',
  '统一社会信用代码',
  '行业',
  '所属区县',
  '地址',
  '重点企业类别',
  '员工总数',
  '联系人',
  '联系电话',
  '服务专员账号',
];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
type Cell = string | number;

/** A workbook as a district office fills the template: headers in row 1, then the rows. */
async function xlsxFile(rows: Cell[][], headers: string[] = HEADERS): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('企业台账');
  sheet.addRow(headers);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const csvText = (rows: Cell[][]) =>
  [HEADERS, ...rows].map((row) => row.map((cell) => `"${String(cell).replaceAll('"', '""')}"`).join(',')).join('\r\n');

/** supertest collects a binary body into a Buffer. */
function binary(response: Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => done(null, Buffer.concat(chunks)));
}

async function readWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

const rowValues = (sheet: ExcelJS.Worksheet, row: number) => (sheet.getRow(row).values as unknown[]).slice(1);

/**
 * The ledger's import on real PostgreSQL and Redis, with the worker running: the template, dry
 * runs that name every bad cell, the report, applying all-or-nothing or the valid rows, the
 * background path of a large file, and what fails an apply.
 */
describe('importing the ledger from a spreadsheet', () => {
  let t: TestApp;
  let worker: TestWorker;
  let admin: TestUser;
  let south: TestUser; // supervisor of 南关区 (220102)
  let north: TestUser; // supervisor of 宽城区 (220103)
  let zhang: TestUser; // an active commissioner
  let gone: TestUser; // a commissioner no longer active

  beforeAll(async () => {
    t = await createTestApp();
    worker = await startWorker();
    admin = await createUser(t, 'admin');
    south = await createUser(t, 'supervisor', { districtCodes: ['220102'], displayName: '南关科长' });
    north = await createUser(t, 'supervisor', { districtCodes: ['220103'] });
    zhang = await createUser(t, 'commissioner', { username: 'zhang.wei', displayName: '张伟' });
    gone = await createUser(t, 'commissioner', { username: 'li.left' });
    await t
      .http()
      .patch(`/api/v1/users/${gone.user.id}`)
      .set('Authorization', admin.auth)
      .send({ active: false })
      .expect(200);
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  const upload = (auth: string, fileName: string, bytes: Buffer) =>
    t.http().post('/api/v1/imports/enterprises').set('Authorization', auth).attach('file', bytes, fileName);
  const get = (auth: string, id: string) => t.http().get(`/api/v1/imports/${id}`).set('Authorization', auth);
  const apply = (auth: string, id: string, body: Record<string, unknown> = {}) =>
    t.http().post(`/api/v1/imports/${id}/apply`).set('Authorization', auth).send(body);
  const settled = (auth: string, id: string, states: string[]) =>
    waitFor(
      async () => {
        const response = await get(auth, id).expect(200);
        return states.includes(response.body.state) ? response.body : null;
      },
      30000,
      `import ${id} to be ${states.join(' or ')}`,
    );
  const enterpriseByCode = async (creditCode: string) =>
    (await t.db.query(`SELECT * FROM enterprises WHERE credit_code = $1`, [creditCode]))[0];

  /** A complete, valid row in 南关区. */
  const row = (overrides: Partial<Record<string, Cell>> = {}): Cell[] => {
    const values: Record<string, Cell> = {
      企业名称: `长春导入测试有限公司${Math.floor(Math.random() * 1e6)}`,
      统一社会信用代码: uniqueCreditCode('220102'),
      行业: '制造业',
      所属区县: '南关区',
      地址: '长春市南关区人民大街 1 号',
      重点企业类别: '市级重点',
      员工总数: 120,
      联系人: '王伟',
      联系电话: '13912345678',
      服务专员账号: '',
      ...overrides,
    };
    return HEADERS.map((header) => values[header]);
  };

  it('hands out the template, takes it back filled in, writes it as single creates would, and then finds nothing to change', async () => {
    const template = await t
      .http()
      .get('/api/v1/imports/templates/enterprises.xlsx')
      .set('Authorization', south.auth)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(template.headers['content-type']).toBe(XLSX);
    expect(template.headers['content-disposition']).toContain(encodeURIComponent('企业台账导入模板.xlsx'));
    const book = await readWorkbook(template.body as Buffer);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(['企业台账', '填写说明', '代码表']);
    expect(rowValues(book.worksheets[0], 1)).toEqual(HEADERS);
    expect(book.worksheets[0].getCell('D2').dataValidation).toMatchObject({ type: 'list' });
    expect(rowValues(book.worksheets[2], 2)).toEqual(
      expect.arrayContaining(['农、林、牧、渔业', 'A', '南关区', '220102']),
    );

    const rows = [
      row({ 服务专员账号: 'Zhang.Wei' }),
      row({ 行业: 'I', 所属区县: '220102', 重点企业类别: 'provincial', 联系电话: '0431-88886666' }),
      row({ 员工总数: 0 }),
    ];
    const file = await xlsxFile(rows);
    const uploaded = await upload(south.auth, '南关区台账.xlsx', file).expect(201);
    expect(uploaded.body).toMatchObject({
      kind: 'enterprises',
      fileName: '南关区台账.xlsx',
      state: 'validated',
      rowsTotal: 3,
      counts: { create: 3, update: 0, unchanged: 0, invalid: 0 },
      errors: [],
      updates: [],
      mode: null,
      failure: null,
      createdBy: { id: south.user.id, displayName: '南关科长' },
      appliedAt: null,
    });
    const id = uploaded.body.id as string;
    expect(await enterpriseByCode(String(rows[0][1]))).toBeUndefined(); // a dry run writes nothing

    const applying = await apply(south.auth, id).expect(202);
    expect(applying.body).toMatchObject({ state: 'applying', mode: 'all' });
    const applied = await settled(south.auth, id, ['applied', 'failed']);
    expect(applied).toMatchObject({ state: 'applied', failure: null, rowsDone: 3 });
    expect(applied.appliedAt).not.toBeNull();

    const first = await enterpriseByCode(String(rows[0][1]));
    expect(first).toMatchObject({
      name: rows[0][0],
      industry_code: 'C',
      district_code: '220102',
      tier: 'municipal',
      employee_count: 120,
      commissioner_id: zhang.user.id,
      status: 'active',
      version: 1,
      visit_cadence_days: null,
      shortage: 0,
    });
    expect(await enterpriseByCode(String(rows[1][1]))).toMatchObject({ industry_code: 'I', tier: 'provincial' });
    // The history, the assignment and the audit trail, as a single create writes them.
    const history = await t.http().get(`/api/v1/enterprises/${first.id}/history`).set('Authorization', south.auth);
    expect(history.body.items).toEqual([
      expect.objectContaining({
        action: 'created',
        version: 1,
        actor: { id: south.user.id, displayName: '南关科长' },
        changes: expect.objectContaining({
          name: { from: null, to: rows[0][0] },
          commissionerId: { from: null, to: zhang.user.id },
        }),
      }),
    ]);
    const assignments = await t
      .http()
      .get(`/api/v1/enterprises/${first.id}/assignments`)
      .set('Authorization', south.auth);
    expect(assignments.body).toEqual([
      expect.objectContaining({ commissioner: { id: zhang.user.id, displayName: '张伟' }, previousCommissioner: null }),
    ]);
    const audit = await t.db.query(
      `SELECT action, entity_type AS "entityType", actor_id AS "actorId", details FROM audit_events
        WHERE details->>'importId' = $1 OR entity_id::text = $1 ORDER BY action`,
      [id],
    );
    expect(audit).toHaveLength(4);
    expect(audit.filter((event: { action: string }) => event.action === 'enterprise.created')).toHaveLength(3);
    expect(audit.every((event: { actorId: string }) => event.actorId === south.user.id)).toBe(true);
    expect(audit.find((event: { action: string }) => event.action === 'import.applied')).toMatchObject({
      entityType: 'import',
      details: { mode: 'all', counts: { create: 3, update: 0, unchanged: 0, invalid: 0 } },
    });
    await apply(south.auth, id).expect(409); // applied once only

    // The same file again: every row is already in the ledger as it says.
    const again = await upload(south.auth, '南关区台账.xlsx', file).expect(201);
    expect(again.body.counts).toEqual({ create: 0, update: 0, unchanged: 3, invalid: 0 });

    // The ledger exported (title row, then the header, then more columns than the template's)
    // comes back unchanged, as xlsx and as CSV.
    for (const format of ['xlsx', 'csv']) {
      const exported = await t
        .http()
        .get(`/api/v1/enterprises/export.${format}`)
        .set('Authorization', south.auth)
        .buffer(true)
        .parse(binary)
        .expect(200);
      const back = await upload(south.auth, `台账.${format}`, exported.body as Buffer).expect(201);
      expect([format, back.body.counts]).toEqual([format, { create: 0, update: 0, unchanged: 3, invalid: 0 }]);
    }

    // Corrections come the same way: changed fields are revisions by the importer, a new
    // commissioner a reassignment.
    const corrected = [
      [...rows[0].slice(0, 6), 150, rows[0][7], '13800000000', 'zhang.wei'],
      rows[1],
      [...rows[2].slice(0, 9), 'zhang.wei'],
    ];
    const correction = await upload(south.auth, '更正.xlsx', await xlsxFile(corrected)).expect(201);
    expect(correction.body.counts).toEqual({ create: 0, update: 2, unchanged: 1, invalid: 0 });
    expect(correction.body.updates).toEqual([
      { row: 2, creditCode: rows[0][1], name: rows[0][0], fields: ['员工总数', '联系电话'] },
      { row: 4, creditCode: rows[2][1], name: rows[2][0], fields: ['服务专员账号'] },
    ]);
    await apply(south.auth, correction.body.id).expect(202);
    await settled(south.auth, correction.body.id, ['applied']);
    const changedHistory = await t
      .http()
      .get(`/api/v1/enterprises/${first.id}/history`)
      .set('Authorization', south.auth);
    expect(changedHistory.body.items[0]).toMatchObject({
      action: 'updated',
      version: 2,
      actor: { id: south.user.id },
      changes: { employeeCount: { from: 120, to: 150 }, contactPhone: { from: '13912345678', to: '13800000000' } },
    });
    const third = await enterpriseByCode(String(rows[2][1]));
    expect(third).toMatchObject({ commissioner_id: zhang.user.id, version: 2 });
    const reassigned = await t.http().get(`/api/v1/enterprises/${third.id}/history`).set('Authorization', south.auth);
    expect(reassigned.body.items[0]).toMatchObject({
      action: 'reassigned',
      changes: { commissionerId: { from: null, to: zhang.user.id } },
    });
  });

  it('names every bad row by row, column and message, marks the cells in the report, and applies all or only the valid rows', async () => {
    const outside = await createEnterprise(t, admin.auth, { districtCode: '220104' });
    const duplicate = uniqueCreditCode('220102');
    const rows = [
      row({ 统一社会信用代码: duplicate }), // 2: valid
      row({ 统一社会信用代码: '91350100M000100Y44' }), // 3: check character
      row({ 所属区县: '火星区' }), // 4
      row({ 联系电话: '12345' }), // 5
      row({ 企业名称: '企'.repeat(201) }), // 6
      row({ 员工总数: -5 }), // 7
      row({ 服务专员账号: 'nobody' }), // 8
      row({ 服务专员账号: 'li.left' }), // 9
      row({ 统一社会信用代码: duplicate }), // 10: the same code as row 2
      row({ 所属区县: '宽城区' }), // 11: another district
      row({ 统一社会信用代码: String(outside.creditCode) }), // 12: in the ledger, outside 南关区
      row({ 联系人: '=HYPERLINK("http://x")', 地址: '' }), // 13: a formula is only text here
    ];
    const uploaded = await upload(south.auth, 'errors.xlsx', await xlsxFile(rows)).expect(201);
    const id = uploaded.body.id as string;
    expect(uploaded.body.counts).toEqual({ create: 1, update: 0, unchanged: 0, invalid: 11 });
    expect(uploaded.body.errors).toEqual([
      { row: 3, column: '统一社会信用代码', message: '不是有效的统一社会信用代码（18 位，校验位须正确）' },
      { row: 4, column: '所属区县', message: '不是已知的区县，请从下拉列表选择' },
      { row: 5, column: '联系电话', message: '应为 11 位手机号或带区号的固定电话（如 0431-88886666）' },
      { row: 6, column: '企业名称', message: '不能超过 200 个字' },
      { row: 7, column: '员工总数', message: '应为 0 到 10000000 之间的整数' },
      { row: 8, column: '服务专员账号', message: '没有这个账号' },
      { row: 9, column: '服务专员账号', message: '该服务专员账号已停用' },
      { row: 10, column: '统一社会信用代码', message: '与第 2 行的统一社会信用代码重复' },
      { row: 11, column: '所属区县', message: '不在您负责的区县' },
      { row: 12, column: '统一社会信用代码', message: '台账中已有此企业，但它不在您负责的区县' },
      { row: 13, column: '地址', message: '不能为空' },
    ]);

    // Who may see it: its uploader and admins; another supervisor is told it does not exist.
    await get(north.auth, id).expect(404);
    await get(admin.auth, id).expect(200);
    await get(zhang.auth, id).expect(403);
    await t.http().get('/api/v1/imports/templates/enterprises.xlsx').set('Authorization', zhang.auth).expect(403);
    await upload(zhang.auth, 'a.csv', Buffer.from(csvText([row()]))).expect(403);
    await apply(north.auth, id, { mode: 'valid-rows' }).expect(404);
    await get(south.auth, '00000000-0000-4000-8000-000000000000').expect(404);

    const report = await t
      .http()
      .get(`/api/v1/imports/${id}/report.xlsx`)
      .set('Authorization', south.auth)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(report.headers['content-type']).toBe(XLSX);
    const sheet = (await readWorkbook(report.body as Buffer)).worksheets[0];
    expect(rowValues(sheet, 1)).toEqual([...HEADERS, '错误说明']);
    const red = (address: string) => (sheet.getCell(address).fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb;
    expect(red('B3')).toBe('FFFFC7CE');
    expect(red('A3')).toBeUndefined();
    expect(red('B2')).toBeUndefined();
    expect(sheet.getCell('K2').value).toBeNull();
    expect(sheet.getCell('K3').value).toBe('统一社会信用代码：不是有效的统一社会信用代码（18 位，校验位须正确）');
    expect(sheet.getCell('K10').value).toBe('统一社会信用代码：与第 2 行的统一社会信用代码重复');
    expect([red('D11'), red('J9'), red('G7'), red('E13')]).toEqual(Array(4).fill('FFFFC7CE'));
    expect(sheet.getCell('A6').value).toBe(rows[4][0]); // the original rows, where they were
    expect(sheet.getCell('H13').value).toBe(`'=HYPERLINK("http://x")`); // written back safe
    expect(sheet.getCell('G7').value).toBe(-5);

    // All or nothing: refused while any row is invalid; the valid rows only, on request.
    const refused = await apply(south.auth, id, { mode: 'all' }).expect(409);
    expect(refused.body.detail).toContain('有 11 行数据有误');
    await apply(south.auth, id, { mode: 'everything' }).expect(400);
    await apply(south.auth, id, { mode: 'valid-rows' }).expect(202);
    const applied = await settled(south.auth, id, ['applied', 'failed']);
    expect(applied).toMatchObject({ state: 'applied', mode: 'valid-rows' });
    expect(await enterpriseByCode(duplicate)).toMatchObject({ name: rows[0][0] });
    expect(await enterpriseByCode(String(rows[2][1]))).toBeUndefined();
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM enterprises WHERE name = ANY($1)`, [
      rows.map((cells) => cells[0]),
    ]);
    expect(n).toBe(1);
  });

  it('reads CSV in GBK (as Excel in China saves it) and in UTF-8 with a BOM; refuses other files and oversized ones', async () => {
    const gbk = await upload(admin.auth, '企业.csv', readFileSync(join(__dirname, 'fixtures/enterprises-gbk.csv')));
    expect(gbk.status).toBe(201);
    expect(gbk.body).toMatchObject({ state: 'validated', counts: { create: 2, invalid: 0 }, errors: [] });
    await apply(admin.auth, gbk.body.id).expect(202);
    await settled(admin.auth, gbk.body.id, ['applied']);
    expect(await enterpriseByCode('91220103MA0GBK002T')).toMatchObject({
      name: '长春北方软件科技有限公司',
      industry_code: 'I',
      district_code: '220103',
      tier: 'district',
      contact_name: '李娜',
    });

    const utf8 = Buffer.from(`\uFEFF${csvText([row({ 企业名称: '长春“引号”有限公司' }), row()])}\r\n`);
    const bom = await upload(south.auth, 'utf8.csv', utf8).expect(201);
    expect(bom.body).toMatchObject({ counts: { create: 2, invalid: 0 }, rowsTotal: 2 });

    const headless = await upload(south.auth, 'x.csv', Buffer.from('名称,电话\r\n甲,1\r\n')).expect(400);
    expect(headless.body.detail).toContain('第 1 行应为表头');
    const noPhone = HEADERS.filter((header) => header !== '联系电话');
    const missing = await upload(south.auth, 'x.xlsx', await xlsxFile([], noPhone)).expect(400);
    expect(missing.body.detail).toBe('表头缺少以下列：联系电话（请使用导入模板，表头在第 1 行）');

    for (const [name, bytes] of [
      ['image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])],
      ['disguised.xlsx', Buffer.from(csvText([row()]))],
      ['binary.csv', Buffer.from([0x41, 0x00, 0x42, 0xff])],
      ['old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])],
    ] as const) {
      const refused = await upload(south.auth, name, bytes);
      expect([name, refused.status, refused.headers['content-type']]).toEqual([
        name,
        415,
        'application/problem+json; charset=utf-8',
      ]);
    }
    await t
      .http()
      .post('/api/v1/imports/enterprises')
      .set('Authorization', south.auth)
      .set('Content-Type', 'text/csv')
      .send(csvText([row()]))
      .expect(415);
    await t.http().post('/api/v1/imports/enterprises').set('Authorization', south.auth).field('x', 'y').expect(400);

    const huge = await upload(south.auth, 'huge.csv', Buffer.alloc(20 * 1024 * 1024 + 1, 0x61)).catch(
      (error: { response?: { status: number } }) => error.response,
    );
    expect(huge?.status).toBe(413);
    const many = Buffer.from(`${HEADERS.join(',')}\n${'a\n'.repeat(200_001)}`);
    const tooMany = await upload(south.auth, 'many.csv', many).expect(413);
    expect(tooMany.body.detail).toContain('超过 200000 行');
  });

  it('validates a large file in the worker, and fails an apply whose ledger moved, writing nothing', async () => {
    // Over 1 MiB (long addresses keep the rows few): the worker reads it.
    const rows = Array.from({ length: 1300 }, (_, i) =>
      row({ 企业名称: `长春批量导入企业${i}有限公司`, 地址: `长春市南关区人民大街${i}号${'附'.repeat(270)}` }),
    );
    const late = rows[1000];
    const bytes = Buffer.from(csvText(rows));
    expect(bytes.length).toBeGreaterThan(1024 * 1024);
    const uploaded = await upload(south.auth, 'large.csv', bytes).expect(201);
    expect(uploaded.body).toMatchObject({ state: 'validating', rowsTotal: 1300 });
    const validated = await settled(south.auth, uploaded.body.id, ['validated', 'failed']);
    expect(validated).toMatchObject({ state: 'validated', rowsTotal: 1300, rowsDone: 1300 });
    expect(validated.counts).toEqual({ create: 1300, update: 0, unchanged: 0, invalid: 0 });

    // Someone adds one of the file's enterprises after the dry run: the plan no longer holds.
    await createEnterprise(t, south.auth, { creditCode: late[1], name: late[0] });
    await apply(south.auth, uploaded.body.id).expect(202);
    const failed = await settled(south.auth, uploaded.body.id, ['applied', 'failed']);
    expect(failed.state).toBe('failed');
    expect(failed.failure).toContain('第 1002 行在校验之后发生了变化（校验时为「新增」，现在为「更新」）');
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM enterprises WHERE name LIKE '长春批量导入企业%'`);
    expect(n).toBe(1); // the one added by hand
    await apply(south.auth, uploaded.body.id, { mode: 'valid-rows' }).expect(409);

    // An enterprise edited after the dry run (same outcome, another version): nothing written either.
    const existing = await createEnterprise(t, south.auth);
    const fresh = row();
    const file = await xlsxFile([
      fresh,
      [
        existing.name as string,
        existing.creditCode as string,
        '制造业',
        '南关区',
        '新地址 8 号',
        '市级重点',
        7,
        '王伟',
        '13912345678',
        '',
      ],
    ]);
    const update = await upload(south.auth, 'update.xlsx', file).expect(201);
    expect(update.body.counts).toMatchObject({ create: 1, update: 1 });
    await t
      .http()
      .patch(`/api/v1/enterprises/${existing.id}`)
      .set('Authorization', south.auth)
      .send({ version: existing.version, contactName: '赵六' })
      .expect(200);
    await apply(south.auth, update.body.id).expect(202);
    const moved = await settled(south.auth, update.body.id, ['applied', 'failed']);
    expect(moved).toMatchObject({ state: 'failed' });
    expect(moved.failure).toContain('已有改动，未写入任何数据');
    expect(await enterpriseByCode(String(fresh[1]))).toBeUndefined();
    expect((await enterpriseByCode(existing.creditCode as string)).address).not.toBe('新地址 8 号');
  });

  it('refuses crafted files in a few words of its own, before doing their work, and takes nothing but the file', async () => {
    const problem = 'application/problem+json; charset=utf-8';
    const zip = (parts: Record<string, string>) => {
      const archive = new JSZip();
      for (const [name, content] of Object.entries(parts)) archive.file(name, content);
      return archive.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    };
    const workbookXml =
      '<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
      '<sheets><sheet name="企业台账" sheetId="1" r:id="rId1"/></sheets></workbook>';
    const rels =
      '<Relationships><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>';
    // A few kilobytes that inflate to megabytes of blank rows: refused before any of it is parsed.
    const bomb = await zip({
      'xl/worksheets/sheet1.xml': `<worksheet><sheetData>${'<row/>'.repeat(1_000_000)}</sheetData></worksheet>`,
      'xl/workbook.xml': workbookXml,
      'xl/_rels/workbook.xml.rels': rels,
    });
    const bombed = await upload(south.auth, 'bomb.xlsx', bomb).expect(413);
    expect([bombed.headers['content-type'], bombed.body.detail]).toEqual([
      problem,
      expect.stringContaining('压缩炸弹'),
    ]);

    // Damaged files: a fixed message, nothing of the library's.
    const good = await xlsxFile([row()]);
    const damaged = '文件已损坏或不是有效的 .xlsx 工作簿，请在 Excel 中打开确认后另存再上传';
    for (const file of [
      good.subarray(0, good.length - 100),
      await zip({ 'xl/workbook.xml': '<workbook>', 'xl/_rels/workbook.xml.rels': rels }),
    ]) {
      const refused = await upload(south.auth, 'damaged.xlsx', file).expect(400);
      expect([refused.headers['content-type'], refused.body.detail]).toEqual([problem, damaged]);
    }
    // A stored file that cannot be read (none is, but should one be): its report is a problem
    // detail, not a download cut short.
    const [{ id: broken }] = await t.db.query(
      `INSERT INTO imports (kind, state, file_name, format, file, created_by, created_at, updated_at, plan_digest)
       VALUES ('enterprises', 'validated', 'broken.xlsx', 'xlsx', $1, $2, now(), now(), 'x') RETURNING id`,
      [good.subarray(0, good.length - 100), south.user.id],
    );
    const unreadable = await t.http().get(`/api/v1/imports/${broken}/report.xlsx`).set('Authorization', south.auth);
    expect([unreadable.status, unreadable.headers['content-type'], unreadable.body.detail]).toEqual([
      400,
      problem,
      damaged,
    ]);
    expect(unreadable.headers['content-disposition']).toBeUndefined();

    const longLine = Buffer.from(`${HEADERS.join(',')}\r\n${'长'.repeat(70_000)}\r\n`);
    const tooLong = await upload(south.auth, 'long.csv', longLine).expect(400);
    expect(tooLong.body.detail).toBe('第 2 行超过 65536 个字符，请检查文件（可能缺少换行，或有引号未闭合）');

    // The form holds the file and nothing else.
    const csv = Buffer.from(csvText([row()]));
    const form = () => t.http().post('/api/v1/imports/enterprises').set('Authorization', south.auth);
    for (const request of [
      form().field('note', 'x'.repeat(2000)).attach('file', csv, 'a.csv'),
      form().attach('file', csv, 'a.csv').attach('file', csv, 'b.csv'),
      form().attach('other', csv, 'a.csv'),
    ]) {
      const refused = await request.expect(400);
      expect([refused.headers['content-type'], refused.body.detail]).toEqual([
        problem,
        '表单中只能有一个字段 file，即要导入的 .xlsx 或 .csv 文件',
      ]);
    }
  });

  it('applies as the admin who asked, even when a finished job of the same id is still kept; drops files a week after', async () => {
    const rows = [row()];
    const uploaded = await upload(south.auth, '南关区.csv', Buffer.from(csvText(rows))).expect(201);
    const id = uploaded.body.id as string;
    // An apply that reached Redis after its enqueue timed out, and ran while the import was still validated.
    const queue = worker.app.get<Queue>(getQueueToken(QUEUE.imports));
    const stale = await queue.add(IMPORT_JOB.apply, { importId: id }, { jobId: importJobId(id, IMPORT_JOB.apply) });
    await waitFor(async () => (await stale.getState()) === 'completed', 10000, 'the stale apply to finish');
    expect((await get(south.auth, id).expect(200)).body.state).toBe('validated');

    await apply(admin.auth, id).expect(202);
    expect(await settled(south.auth, id, ['applied', 'failed'])).toMatchObject({ state: 'applied' });
    const events = await t.db.query(
      `SELECT action, actor_id AS "actorId", details FROM audit_events
        WHERE entity_id::text = $1 OR details->>'importId' = $1 ORDER BY action`,
      [id],
    );
    expect(events).toEqual([
      expect.objectContaining({ action: 'enterprise.created', actorId: south.user.id }),
      expect.objectContaining({
        action: 'import.applied',
        actorId: admin.user.id,
        details: expect.objectContaining({ uploadedBy: south.user.id }),
      }),
    ]);

    // The housekeeping runs every minute; a week after the import ended, its file is gone, and so
    // is the report. So is the file of a dry run left a week without being applied.
    expect((await queue.getJobSchedulers()).map((scheduler) => scheduler.key)).toContain('import-housekeeping');
    await t.http().get(`/api/v1/imports/${id}/report.xlsx`).set('Authorization', south.auth).expect(200);
    const abandoned = (await upload(south.auth, '南关区.csv', Buffer.from(csvText([row()]))).expect(201)).body
      .id as string;
    await t.db.query(`UPDATE imports SET updated_at = updated_at - interval '8 days' WHERE id = ANY($1)`, [
      [id, abandoned],
    ]);
    expect((await worker.app.get(ImportsService).housekeeping()).filesDropped).toBeGreaterThanOrEqual(2);
    const gone = await t.http().get(`/api/v1/imports/${id}/report.xlsx`).set('Authorization', south.auth).expect(410);
    expect(gone.body).toMatchObject({ status: 410, detail: '上传的文件已在 7 天后删除，不能再下载校验报告' });
    expect(gone.headers['content-disposition']).toBeUndefined();
    const late = await apply(south.auth, abandoned).expect(410);
    expect(late.body).toMatchObject({ status: 410, detail: '上传的文件已在 7 天后删除，请重新上传后再导入' });
    expect((await get(south.auth, abandoned).expect(200)).body.state).toBe('validated');
  });

  it('fails an import whose job was lost, rather than leaving it working forever', async () => {
    const [{ id }] = await t.db.query(
      `INSERT INTO imports (kind, state, file_name, format, file, created_by, created_at, updated_at)
       VALUES ('enterprises', 'applying', 'lost.csv', 'csv', '\\x00', $1, now() - interval '1 hour', now() - interval '1 hour')
       RETURNING id`,
      [south.user.id],
    );
    expect(await worker.app.get(ImportsService).failAbandoned()).toBe(1);
    const lost = await get(south.auth, id).expect(200);
    expect(lost.body).toMatchObject({ state: 'failed', failure: expect.stringContaining('处理被中断') });
  });
});
