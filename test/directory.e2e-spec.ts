import { createEnterprise } from './factories/enterprises.factory';
import { createUser, TestUser } from './factories/users.factory';
import { UsersService } from '@keydesk/domain';
import { TEST_PASSWORD } from './factories/users.factory';
import { expectCursorPagesMatchOffsetPages } from './support/paging';
import { createTestApp, TestApp } from './support/test-app';

describe('/directory/commissioners (the pickers that assign enterprises and problems)', () => {
  let t: TestApp;
  let admin: TestUser;
  let citySupervisor: TestUser;
  let southSupervisor: TestUser;
  let commissioner: TestUser;
  /** Active commissioners; their names sort the same by code point and by pinyin: 丁 < 刘 < 王. */
  let ding: TestUser;
  let liu: TestUser;
  let wang: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'admin');
    citySupervisor = await createUser(t, 'supervisor', { displayName: '丁科长' });
    southSupervisor = await createUser(t, 'supervisor', { districtCodes: ['220102', '220104'] });
    wang = await createUser(t, 'commissioner', { username: 'fang.wang', displayName: '王芳', phone: '13912345678' });
    ding = await createUser(t, 'commissioner', { username: 'ding.lei', displayName: '丁磊' });
    liu = await createUser(t, 'commissioner', { username: 'liu.yang', displayName: '刘洋' });
    commissioner = wang;

    const serve = (who: TestUser, districtCode: string) =>
      createEnterprise(t, admin.auth, { commissionerId: who.user.id, districtCode });
    // 王芳: two in 南关区 (220102), one in 二道区 (220105), and an archived one that no longer counts.
    await serve(wang, '220102');
    await serve(wang, '220102');
    await serve(wang, '220105');
    const archived = await serve(wang, '220102');
    await t.http().post(`/api/v1/enterprises/${archived.id}/archive`).set('Authorization', admin.auth).expect(200);
    // 丁磊: one in 二道区, outside the south supervisor's districts.
    await serve(ding, '220105');
    // An unassigned enterprise counts for nobody.
    await createEnterprise(t, admin.auth, { districtCode: '220102' });

    // A commissioner who has left keeps their enterprise until it is reassigned, but is no longer picked.
    const gone = await createUser(t, 'commissioner', { username: 'chen.jing', displayName: '丁静' });
    await serve(gone, '220102');
    await t
      .http()
      .patch(`/api/v1/users/${gone.user.id}`)
      .set('Authorization', admin.auth)
      .send({ active: false })
      .expect(200);
  });
  afterAll(() => t.close());

  const directory = (auth: string, query = '') =>
    t.http().get(`/api/v1/directory/commissioners${query}`).set('Authorization', auth);
  const entry = (who: TestUser, enterprises: number, phone: string | null = null) => ({
    id: who.user.id,
    displayName: who.user.displayName,
    phone,
    enterprises,
  });

  it('lists the active commissioners by display name, with the active enterprises each serves in the city', async () => {
    for (const reader of [admin, citySupervisor]) {
      const response = await directory(reader.auth).expect(200);
      expect(response.body).toEqual({
        items: [entry(ding, 1), entry(liu, 0), entry(wang, 3, '13912345678')],
        total: 3,
        page: 1,
        pageSize: 20,
        nextCursor: null,
      });
      expect(JSON.stringify(response.body)).not.toMatch(/password|argon2|username/i);
    }
  });

  it('counts for a district supervisor only the enterprises in their districts, listing the same people', async () => {
    const response = await directory(southSupervisor.auth).expect(200);
    expect(response.body.items).toEqual([entry(ding, 0), entry(liu, 0), entry(wang, 2, '13912345678')]);
    expect(response.body.total).toBe(3);
  });

  it('finds people by a part of their display name or user name, and pages', async () => {
    const ids = async (query: string) =>
      (await directory(citySupervisor.auth, query).expect(200)).body.items.map((item: { id: string }) => item.id);
    // 丁科长 is a supervisor and 丁静 has left: neither is offered.
    expect(await ids('?q=丁')).toEqual([ding.user.id]);
    expect(await ids('?q=g.wan')).toEqual([wang.user.id]);
    expect(await ids('?q=%25')).toEqual([]);
    // By id: the one a picker already holds; someone who has left is not offered that way either.
    expect(await ids(`?id=${liu.user.id}`)).toEqual([liu.user.id]);
    expect(await ids(`?id=${citySupervisor.user.id}`)).toEqual([]);
    await directory(citySupervisor.auth, '?id=not-an-id').expect(400);

    const second = await directory(citySupervisor.auth, '?pageSize=2&page=2').expect(200);
    expect(second.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(second.body.items.map((item: { id: string }) => item.id)).toEqual([wang.user.id]);
    await directory(citySupervisor.auth, '?pageSize=101').expect(400);
    await directory(citySupervisor.auth, '?page=0').expect(400);
    await directory(citySupervisor.auth, '?role=admin').expect(400);
  });

  it('is for supervisors and admins: a commissioner is refused with 403, no token with 401', async () => {
    const refused = await directory(commissioner.auth).expect(403);
    expect(refused.body).toMatchObject({ status: 403, title: 'Forbidden' });
    await t.http().get('/api/v1/directory/commissioners').expect(401);
    // The full user list stays the admins'.
    await t.http().get('/api/v1/users').set('Authorization', citySupervisor.auth).expect(403);
  });

  it('pages by cursor as by page number, namesakes kept in one order by id', async () => {
    for (const username of ['liu.yang2', 'liu.yang3']) {
      await t.app
        .get(UsersService)
        .create(null, { username, password: TEST_PASSWORD, displayName: '刘洋', role: 'commissioner' });
    }
    const path = '/api/v1/directory/commissioners';
    for (const pageSize of [1, 2]) {
      expect(await expectCursorPagesMatchOffsetPages(t, citySupervisor.auth, path, '', pageSize)).toHaveLength(5);
      await expectCursorPagesMatchOffsetPages(t, southSupervisor.auth, path, 'q=刘', pageSize);
    }
    // The directory has one order: a cursor of the ledger's is refused.
    const ledger = await t.http().get('/api/v1/enterprises?pageSize=1').set('Authorization', admin.auth).expect(200);
    const refused = await directory(citySupervisor.auth, `?after=${ledger.body.nextCursor}`).expect(400);
    expect(refused.body.detail).toBe('after: this cursor was made for another list; start from page 1');
    expect((await directory(citySupervisor.auth, '?after=bm90IGEgY3Vyc29y').expect(400)).body.detail).toBe(
      'after: this is not a cursor of this list; start from page 1',
    );
  });
});
