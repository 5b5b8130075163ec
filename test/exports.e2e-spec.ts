import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { Clock } from '@keydesk/common';
import { cursorBatches } from '@keydesk/database';
import { beijingDateTime } from '@keydesk/domain';
import { exportSlots, MAX_CONCURRENT_EXPORTS } from '../apps/api/src/http/export-response';
import { createEnterprise } from './factories/enterprises.factory';
import { createUser, TestUser } from './factories/users.factory';
import { createTestApp, TestApp } from './support/test-app';

const DAY = 24 * 3600 * 1000;
/** The moment the data is entered and the exports are made at, on the API's clock: 09:30 in Beijing. */
const EXPORTED_AT = new Date('2026-12-01T01:30:00Z');
const daysAgo = (days: number) => new Date(EXPORTED_AT.getTime() - days * DAY).toISOString();

const LEDGER_HEADERS = [
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
  '服务专员',
  '状态',
  '走访周期（天）',
  '缺工人数',
  '上次走访',
  '下次走访',
  '更新时间',
];

type Row = Record<string, unknown>;

/** A workbook's sheet as plain values, empty cells null: row 1 the title, row 2 the headers, then the data. */
function sheetValues(sheet: ExcelJS.Worksheet): unknown[][] {
  const width = sheet.getRow(2).cellCount;
  const rows: unknown[][] = [];
  for (let number = 1; number <= sheet.rowCount; number++) {
    const row = sheet.getRow(number);
    rows.push(Array.from({ length: width }, (_, column) => row.getCell(column + 1).value ?? null));
  }
  return rows;
}

/** Reads a response body as bytes, whatever its type. */
function bytes(
  response: { on(event: string, listener: (chunk?: Buffer) => void): unknown },
  done: (error: Error | null, body: Buffer) => void,
): void {
  const chunks: Buffer[] = [];
  response.on('data', (chunk) => chunks.push(chunk!));
  response.on('end', () => done(null, Buffer.concat(chunks)));
}

/**
 * The list exports (xlsx and CSV) against their lists: the same filters, scope and order, Chinese
 * headers and labels, Beijing times, formula injection neutralised; the summary workbooks against
 * their JSON endpoints.
 */
describe('exports', () => {
  let t: TestApp;
  let admin: TestUser;
  let nanguan: TestUser;
  let zhang: TestUser;
  let liu: TestUser;
  let injected: { id: string };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'admin');
    nanguan = await createUser(t, 'supervisor', { districtCodes: ['220102'] });
    zhang = await createUser(t, 'commissioner', { displayName: '张伟', username: 'zhang.wei' });
    liu = await createUser(t, 'commissioner', { displayName: '刘洋', username: 'liu.yang' });
    // From here on the API's clock stands at EXPORTED_AT: the data, the lists and the files agree
    // on "now" (the last 30 days, what is overdue), whatever the day the suite runs on.
    jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(EXPORTED_AT);
    // The ledger: two districts, two commissioners, one enterprise with no commissioner, one archived.
    injected = await createEnterprise(t, admin.auth, {
      name: '=1+2',
      contactName: '@SUM(A1)',
      address: '长春市人民大街1号, "东门"\n二楼',
      districtCode: '220102',
      tier: 'provincial',
      employeeCount: 900,
      commissionerId: zhang.user.id,
    });
    const specs: [string, string, number, string | undefined][] = [
      ['长春一汽配件有限公司', '220102', 500, zhang.user.id],
      ['长春光电仪器有限公司', '220102', 120, liu.user.id],
      ['朝阳食品加工有限公司', '220104', 300, zhang.user.id],
      ['朝阳物流有限公司', '220104', 80, liu.user.id],
      ['南关待分配制造有限公司', '220102', 60, undefined],
    ];
    const created: Record<string, { id: string }> = {};
    for (const [name, districtCode, employeeCount, commissionerId] of specs) {
      created[name] = await createEnterprise(t, admin.auth, { name, districtCode, employeeCount, commissionerId });
    }
    const archived = await createEnterprise(t, admin.auth, { name: '南关已归档有限公司', districtCode: '220102' });
    await t.http().post(`/api/v1/enterprises/${archived.id}/archive`).set('Authorization', admin.auth).expect(200);
    // Field work: each commissioner visits their enterprises and records demands and problems.
    const visit = (who: TestUser, id: string, body: Row) =>
      t.http().post(`/api/v1/enterprises/${id}/visits`).set('Authorization', who.auth).send(body).expect(201);
    await visit(zhang, injected.id, {
      visitedAt: daysAgo(3),
      method: 'on_site',
      summary: '=HYPERLINK("http://example.com")',
      employeeCount: 910,
      demands: [{ occupation: '焊工', occupationCategory: '6', headcount: 12, filledCount: 2, urgency: 'urgent' }],
      problems: [{ title: '招工难', category: 'recruitment', priority: 'high' }],
    });
    await visit(zhang, created['长春一汽配件有限公司'].id, {
      visitedAt: daysAgo(2),
      method: 'phone',
      summary: '电话了解用工',
      demands: [{ occupation: '电工', occupationCategory: '6', headcount: 5, salaryMin: 5000, salaryMax: 7000 }],
      problems: [{ title: '社保补贴申领', category: 'policy_subsidy' }],
    });
    await visit(zhang, created['朝阳食品加工有限公司'].id, {
      visitedAt: daysAgo(1),
      method: 'online',
      summary: '线上回访',
      demands: [{ occupation: '包装工', occupationCategory: '6', headcount: 30, neededBy: '2027-03-01' }],
      problems: [{ title: '欠薪投诉', category: 'wage_arrears', priority: 'urgent' }],
    });
    await visit(liu, created['朝阳物流有限公司'].id, {
      visitedAt: daysAgo(4),
      method: 'on_site',
      summary: '实地走访',
      demands: [{ occupation: '叉车司机', occupationCategory: '4', headcount: 4 }],
      problems: [{ title: '培训需求', category: 'training', priority: 'low' }],
    });
    await visit(liu, created['长春光电仪器有限公司'].id, {
      visitedAt: daysAgo(5),
      method: 'phone',
      summary: '电话回访',
      demands: [{ occupation: '光学工程师', occupationCategory: '2', headcount: 2 }],
    });
  }, 60_000);
  afterAll(() => t.close());

  /** A file as the person downloads it (made at EXPORTED_AT, the API's clock). */
  async function download(who: TestUser, path: string): Promise<Response> {
    return await t.http().get(`/api/v1/${path}`).set('Authorization', who.auth).buffer(true).parse(bytes);
  }

  async function workbook(who: TestUser, path: string): Promise<ExcelJS.Workbook> {
    const response = await download(who, path);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(response.body);
    return book;
  }

  async function csv(who: TestUser, path: string): Promise<string[][]> {
    const response = await download(who, path);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    const body = response.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records: string[][] = parse(body, { bom: true });
    return records;
  }

  const list = async (who: TestUser, path: string, query: string): Promise<Row[]> =>
    (await t.http().get(`/api/v1/${path}?${query}&pageSize=100`).set('Authorization', who.auth).expect(200)).body.items;

  it('writes the ledger as xlsx and CSV with the list’s filter, order and labels, formulas as text', async () => {
    const query = 'districtCode=220102&status=all&sort=-employeeCount';
    const items = await list(admin, 'enterprises', query);
    expect(items.map((e) => e.name)).toEqual([
      '=1+2',
      '长春一汽配件有限公司',
      '长春光电仪器有限公司',
      expect.any(String),
      expect.any(String),
    ]);

    const response = await download(admin, `enterprises/export.xlsx?${query}&page=3&pageSize=1`);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="enterprises-20261201-0930.xlsx"; filename*=UTF-8''${encodeURIComponent('企业台账-20261201-0930.xlsx')}`,
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(response.body);
    const sheet = book.getWorksheet('企业台账')!;
    const rows = sheetValues(sheet);
    expect(rows[0][0]).toBe('企业台账（所属区县：南关区；状态：全部；排序：员工总数降序）导出于 2026-12-01 09:30');
    expect(rows[1]).toEqual(LEDGER_HEADERS);
    expect(sheet.getRow(2).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    // page and pageSize are ignored: every matching row, in the list's order.
    const data = rows.slice(2);
    expect(data.map((row) => row[0])).toEqual(items.map((e) => (e.name === '=1+2' ? "'=1+2" : e.name)));
    const first = items[0];
    expect(data[0]).toEqual([
      "'=1+2",
      first.creditCode,
      '制造业',
      '南关区',
      '长春市人民大街1号, "东门"\n二楼',
      '省级重点',
      910,
      "'@SUM(A1)",
      '13912345678',
      'zhang.wei',
      '张伟',
      '正常',
      14,
      10,
      beijingDateTime(new Date(first.lastVisitAt as string)),
      beijingDateTime(new Date(first.nextVisitDueAt as string)),
      beijingDateTime(new Date(first.updatedAt as string)),
    ]);
    // Formula-looking text is a string cell, never a formula.
    expect(sheet.getCell('A3').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('H3').type).toBe(ExcelJS.ValueType.String);
    const archivedRow = data.find((row) => row[0] === '南关已归档有限公司')!;
    expect(archivedRow.slice(9, 12)).toEqual([null, null, '已归档']);
    // Widths fit: the credit code and the title-free header columns are wider than Excel's default.
    expect(sheet.getColumn(2).width).toBeGreaterThanOrEqual(18);
    expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual(22);

    // The CSV: the same columns and rows, no title row.
    const records = await csv(admin, `enterprises/export.csv?${query}`);
    expect(records[0]).toEqual(LEDGER_HEADERS);
    expect(records.slice(1)).toEqual(
      data.map((row) => row.map((cell) => (cell === null ? '' : `${cell as string | number}`))),
    );
  });

  it('keeps each person to their scope, as the lists do', async () => {
    const names = async (who: TestUser, path: string, column: number, query = '') => {
      const records = await csv(who, `${path}/export.csv?${query}`);
      return records.slice(1).map((record) => record[column]);
    };
    // A supervisor: their districts only, whatever the filter asks for.
    const ledger = await list(nanguan, 'enterprises', 'sort=name');
    expect(await names(nanguan, 'enterprises', 0, 'sort=name')).toEqual(ledger.map((e) => safe(e.name as string)));
    expect(ledger.every((e) => e.districtCode === '220102')).toBe(true);
    expect(await names(nanguan, 'enterprises', 0, 'districtCode=220104')).toEqual([]);
    // A commissioner: their enterprises and what hangs off them.
    const own = await list(zhang, 'enterprises', 'sort=-employeeCount');
    expect(own.map((e) => e.name)).toEqual(['=1+2', '长春一汽配件有限公司', '朝阳食品加工有限公司']);
    expect(await names(zhang, 'enterprises', 0, 'sort=-employeeCount')).toEqual(own.map((e) => safe(e.name as string)));
    const demands = await list(zhang, 'demands', 'sort=-headcount');
    expect(await names(zhang, 'demands', 2, 'sort=-headcount')).toEqual(demands.map((d) => d.occupation));
    expect(demands.map((d) => d.occupation)).toEqual(['包装工', '焊工', '电工']);
    const problems = await list(liu, 'problems', '');
    expect(await names(liu, 'problems', 0)).toEqual(problems.map((p) => p.title));
    expect(problems.map((p) => p.title)).toEqual(['培训需求']);
    const visits = await list(liu, 'visits', '');
    expect(await names(liu, 'visits', 1)).toEqual(visits.map((v) => (v.enterprise as Row).name));
    expect(visits).toHaveLength(2);
  });

  it('writes demands, problems and visits with their labels, filters and order', async () => {
    const demandQuery = 'status=all&sort=-headcount&occupationCategory=6';
    const demands = await list(admin, 'demands', demandQuery);
    const demandBook = await workbook(admin, `demands/export.xlsx?${demandQuery}`);
    const demandRows = sheetValues(demandBook.getWorksheet('用工需求清单')!);
    expect(demandRows[0][0]).toBe(
      '用工需求清单（职业类别：生产制造及有关人员；状态：全部；排序：需求人数降序）导出于 2026-12-01 09:30',
    );
    expect(demandRows[1]).toEqual([
      '企业名称',
      '所属区县',
      '岗位',
      '职业类别',
      '需求人数',
      '已招人数',
      '缺口人数',
      '月薪下限（元）',
      '月薪上限（元）',
      '到岗时间',
      '紧急程度',
      '状态',
      '岗位要求',
      '登记时间',
      '更新时间',
    ]);
    expect(demandRows.slice(2).map((row) => row[2])).toEqual(demands.map((d) => d.occupation));
    expect(demandRows.slice(2).map((row) => row[2])).toEqual(['包装工', '焊工', '电工']);
    const welders = demandRows.find((row) => row[2] === '焊工')!;
    expect(welders.slice(0, 12)).toEqual([
      "'=1+2",
      '南关区',
      '焊工',
      '生产制造及有关人员',
      12,
      2,
      10,
      null,
      null,
      null,
      '紧急',
      '招聘中',
    ]);
    expect(demandRows.find((row) => row[2] === '包装工')![9]).toBe('2027-03-01');

    const problemQuery = 'status=open&sort=priority';
    const problems = await list(admin, 'problems', problemQuery);
    const problemRecords = await csv(admin, `problems/export.csv?${problemQuery}`);
    expect(problemRecords[0]).toEqual([
      '问题',
      '企业名称',
      '所属区县',
      '问题类别',
      '优先级',
      '状态',
      '是否逾期',
      '承办人',
      '反映时间',
      '办理期限',
      '问题描述',
      '办理结果',
      '办结时间',
      '更新时间',
    ]);
    expect(problemRecords.slice(1).map((record) => record[0])).toEqual(problems.map((p) => p.title));
    const arrears = problems.find((p) => p.title === '欠薪投诉')!;
    expect(problemRecords.find((record) => record[0] === '欠薪投诉')!.slice(1, 10)).toEqual([
      '朝阳食品加工有限公司',
      '朝阳区',
      '欠薪问题',
      '紧急',
      '待受理',
      '否',
      '张伟',
      beijingDateTime(new Date(arrears.reportedAt as string)),
      beijingDateTime(new Date(arrears.dueAt as string)),
    ]);

    const visitQuery = `method=phone&commissionerId=${zhang.user.id}`;
    const visits = await list(admin, 'visits', visitQuery);
    const visitBook = await workbook(admin, `visits/export.xlsx?${visitQuery}`);
    const visitRows = sheetValues(visitBook.getWorksheet('走访记录')!);
    expect(visitRows[0][0]).toBe('走访记录（服务专员：张伟；走访方式：电话）导出于 2026-12-01 09:30');
    expect(visitRows.slice(2)).toHaveLength(visits.length);
    expect(visitRows[2].slice(0, 6)).toEqual([
      beijingDateTime(new Date(visits[0].visitedAt as string)),
      '长春一汽配件有限公司',
      '南关区',
      '张伟',
      '电话',
      '电话了解用工',
    ]);
    // A visit summary that looks like a formula stays text.
    const all = await csv(admin, 'visits/export.csv');
    expect(all.find((record) => record[1] === "'=1+2")![5]).toBe(`'=HYPERLINK("http://example.com")`);
  });

  it('answers a bad filter, a missing token and too many exports at once with problem details, and no file', async () => {
    for (const query of ['sort=bogus', 'districtCode=abc', 'colour=red', 'pageSize=0']) {
      const response = await download(admin, `enterprises/export.xlsx?${query}`);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['content-disposition']).toBeUndefined();
    }
    const badVisit = await download(admin, 'visits/export.csv?from=yesterday');
    expect(badVisit.status).toBe(400);
    expect(JSON.parse((badVisit.body as Buffer).toString())).toMatchObject({
      status: 400,
      errors: [{ field: 'from' }],
    });
    await t.http().get('/api/v1/demands/export.csv').expect(401);
    await t.http().get('/api/v1/dashboard/export.xlsx').expect(401);

    const releases = Array.from({ length: MAX_CONCURRENT_EXPORTS }, () => exportSlots.take());
    try {
      const refused = await download(admin, 'problems/export.csv');
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('10');
      expect(JSON.parse((refused.body as Buffer).toString())).toMatchObject({ status: 429 });
    } finally {
      releases.forEach((release) => release());
    }
    expect((await download(admin, 'problems/export.csv')).status).toBe(200);
    expect(exportSlots.inUse).toBe(0);
  });

  it('writes the demand summary and the dashboard as the sheets a bureau sends upward, with their JSON figures', async () => {
    const summaryBook = await workbook(nanguan, 'demands/summary/export.xlsx');
    expect(summaryBook.worksheets.map((sheet) => sheet.name)).toEqual(['按区县', '按行业', '按职业类别']);
    for (const [sheetName, groupBy] of [
      ['按区县', 'district'],
      ['按行业', 'industry'],
      ['按职业类别', 'occupationCategory'],
    ]) {
      const summary = (
        await t.http().get(`/api/v1/demands/summary?groupBy=${groupBy}`).set('Authorization', nanguan.auth).expect(200)
      ).body;
      const rows = sheetValues(summaryBook.getWorksheet(sheetName)!);
      expect(rows[0][0]).toBe(`用工需求汇总：${sheetName} 导出于 2026-12-01 09:30`);
      expect(rows.slice(2, -1)).toEqual(
        summary.items.map((item: Row) => [item.key, item.name, item.enterprises, item.openDemands, item.shortage]),
      );
      expect(rows[rows.length - 1]).toEqual([
        '合计',
        null,
        summary.totals.enterprises,
        summary.totals.openDemands,
        summary.totals.shortage,
      ]);
    }
    // The supervisor's district only: Σ shortage of its open demands (10 welders, 5 electricians, 2 engineers).
    expect(sheetValues(summaryBook.getWorksheet('按区县')!).slice(2)).toEqual([
      ['220102', '南关区', 3, 3, 17],
      ['合计', null, 3, 3, 17],
    ]);

    const dashboard = (await t.http().get('/api/v1/dashboard').set('Authorization', admin.auth).expect(200)).body;
    const dashboardBook = await workbook(admin, 'dashboard/export.xlsx');
    expect(dashboardBook.worksheets.map((sheet) => sheet.name)).toEqual([
      '概览',
      '缺工按区县',
      '缺工按行业',
      '服务专员工作量',
    ]);
    const figures = new Map(sheetValues(dashboardBook.getWorksheet('概览')!).slice(2) as [string, unknown][]);
    expect(figures.get('重点企业')).toBe(dashboard.enterprises);
    expect(figures.get('缺工总人数')).toBe(dashboard.totalShortage);
    expect(figures.get('近30天走访')).toBe(dashboard.visits.last30Days);
    expect(figures.get('近30天走访覆盖率')).toBe(dashboard.visits.coverage30Days);
    expect(figures.get('未办结问题')).toBe(dashboard.problems.open);
    expect(figures.get('逾期问题')).toBe(dashboard.problems.overdue);
    expect(dashboardBook.getWorksheet('概览')!.getCell('B7').numFmt).toBe('0.0%');
    // Every row of the table, which the API serves a page at a time.
    const table = (
      await t.http().get('/api/v1/dashboard/commissioners?pageSize=100').set('Authorization', admin.auth).expect(200)
    ).body;
    expect(table.items).toHaveLength(table.total);
    const workload = sheetValues(dashboardBook.getWorksheet('服务专员工作量')!).slice(2);
    expect(workload).toEqual(
      table.items.map((c: Row) => [
        c.displayName,
        c.enterprises,
        c.visitsLast30Days,
        c.overdueVisits,
        c.openProblems,
        c.overdueProblems,
      ]),
    );
    const byDistrict = sheetValues(dashboardBook.getWorksheet('缺工按区县')!);
    expect(byDistrict[byDistrict.length - 1]).toEqual(['合计', null, 5, 5, 51]);
  });

  it('reads rows through a cursor in batches and lets go of its connection when the reader stops early', async () => {
    const sql = 'SELECT g FROM generate_series(1, $1::int) g ORDER BY g';
    const batches: number[][] = [];
    for await (const batch of cursorBatches<{ g: number }>(t.db, sql, [5], 2)) batches.push(batch.map((row) => row.g));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);

    const idleInTransaction = async () =>
      Number(
        (
          await t.db.query(
            `SELECT count(*) AS n FROM pg_stat_activity
              WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
          )
        )[0].n,
      );
    for await (const batch of cursorBatches<{ g: number }>(t.db, sql, [100], 10)) {
      expect(batch).toHaveLength(10);
      expect(await idleInTransaction()).toBe(1);
      break;
    }
    expect(await idleInTransaction()).toBe(0);
  });
});

/** How a text cell that looks like a formula is written. */
const safe = (text: string) => (/^[=+\-@]/.test(text) ? `'${text}` : text);
