import type { TestApp } from './test-app';

interface ListPage {
  items: { id: string }[];
  total: number;
  page: number;
  pageSize: number;
  nextCursor: string | null;
}

/**
 * Reads a list page by page twice, by page number and by `after` (each page asked for with the
 * `nextCursor` of the one before, as the web app does), and checks that both give every row once,
 * in the same order, with the same cursors, and a null `nextCursor` on the last page only.
 * Answers the ids in order.
 */
export async function expectCursorPagesMatchOffsetPages(
  t: TestApp,
  auth: string,
  path: string,
  query: string,
  pageSize: number,
): Promise<string[]> {
  const get = async (paging: string): Promise<ListPage> => {
    const response = await t.http().get(`${path}?${query}&pageSize=${pageSize}&${paging}`).set('Authorization', auth);
    if (response.status !== 200) {
      throw new Error(`${path}?${query}&${paging} answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    return response.body as ListPage;
  };
  const first = await get('page=1');
  const pages = Math.max(1, Math.ceil(first.total / pageSize));

  const byNumber: ListPage[] = [first];
  for (let page = 2; page <= pages; page++) byNumber.push(await get(`page=${page}`));
  const byCursor: ListPage[] = [first];
  for (let last = first; last.nextCursor !== null;) {
    last = await get(`page=${last.page + 1}&after=${encodeURIComponent(last.nextCursor)}`);
    byCursor.push(last);
    if (byCursor.length > pages + 1) break;
  }

  const ids = (list: ListPage[]) => list.flatMap((page) => page.items.map((item) => item.id));
  const summary = (list: ListPage[]) =>
    list.map((page) => ({ page: page.page, total: page.total, ids: page.items.map((item) => item.id) }));
  expect(summary(byCursor)).toEqual(summary(byNumber));
  expect(byCursor.map((page) => page.nextCursor)).toEqual(byNumber.map((page) => page.nextCursor));
  expect(byNumber.map((page) => page.nextCursor === null)).toEqual(byNumber.map((_, index) => index === pages - 1));
  expect(new Set(ids(byNumber)).size).toBe(first.total);
  return ids(byNumber);
}

/**
 * What a list answers to a bad `after`: a cursor made for another sort, garbage, an overlong or
 * badly spelt one. `query` lists more than one page; `otherSort` is a different sort of it.
 */
export async function expectCursorRefusals(
  t: TestApp,
  auth: string,
  path: string,
  query: string,
  otherSort: string,
): Promise<void> {
  const list = (paging: string) => t.http().get(`${path}?${query}&${paging}`).set('Authorization', auth);
  const { nextCursor } = (await list('pageSize=1').expect(200)).body as ListPage;
  expect(nextCursor).toEqual(expect.any(String));
  const refused = async (paging: string) => {
    const response = await list(paging).expect(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    return response.body as { detail: string; errors: { field: string; message: string }[] };
  };
  const otherSortQuery = query.replace(/(^|&)sort=[^&]*/, '') + `&sort=${otherSort}`;
  const another = await t
    .http()
    .get(`${path}?${otherSortQuery}&page=2&after=${nextCursor}`)
    .set('Authorization', auth)
    .expect(400);
  expect(another.body.detail).toBe('after: this cursor was made for another sort; start from page 1');
  expect(another.body.errors).toEqual([
    { field: 'after', message: 'this cursor was made for another sort; start from page 1' },
  ]);
  expect((await refused('page=2&after=bm90IGEgY3Vyc29y')).detail).toBe(
    'after: this is not a cursor of this list; start from page 1',
  );
  // The cursor with one character changed: still base64url, no longer what the server wrote.
  const altered = `${nextCursor!.slice(0, 10)}${nextCursor![10] === 'A' ? 'B' : 'A'}${nextCursor!.slice(11)}`;
  expect((await refused(`page=2&after=${altered}`)).errors).toEqual([{ field: 'after', message: expect.any(String) }]);
  expect((await refused(`after=${'A'.repeat(513)}`)).errors[0].field).toBe('after');
  expect((await refused(`after=${encodeURIComponent('a b;--')}`)).errors[0].field).toBe('after');
  expect((await refused('after=')).errors[0].field).toBe('after');
}
