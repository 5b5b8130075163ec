import { describe, expect, it } from 'vitest';
import {
  linkConditions,
  parseLedgerQuery,
  sortFromTable,
  tableSort,
  toApiQuery,
  toLocationQuery,
} from './ledger-query';

describe('ledger query', () => {
  it('defaults to active enterprises, page 1 of 20, the API’s own sort', () => {
    const state = parseLedgerQuery({});
    expect(state).toMatchObject({ status: 'active', page: 1, pageSize: 20 });
    expect(state.sort).toBeUndefined();
    expect(toLocationQuery(state)).toEqual({});
    expect(toApiQuery(state)).toEqual({ status: 'active', page: 1, pageSize: 20 });
  });

  it('reads the workbench’s links', () => {
    expect(parseLedgerQuery({ visitOverdue: 'true' }).visitOverdue).toBe(true);
    expect(parseLedgerQuery({ hasCommissioner: 'false' }).hasCommissioner).toBe(false);
    expect(parseLedgerQuery({ visitDueWithinDays: '7' }).visitDueWithinDays).toBe(7);
    expect(parseLedgerQuery({ demandsStale: 'true' }).demandsStale).toBe(true);
  });

  it('round-trips every filter, the sort and the page through the URL', () => {
    const query = {
      q: '一汽',
      districtCode: '220102',
      industryCode: 'C',
      tier: 'provincial',
      commissionerId: '11cb5d06-e8cd-4932-9e59-8c08fc4d22a2',
      status: 'all',
      hasShortage: 'true',
      visitOverdue: 'true',
      hasCommissioner: 'true',
      visitDueWithinDays: '0',
      demandsStale: 'true',
      sort: '-shortage',
      page: '3',
      pageSize: '50',
    };
    const state = parseLedgerQuery(query);
    expect(toLocationQuery(state)).toEqual(query);
    expect(toApiQuery(state)).toEqual({
      ...query,
      hasShortage: true,
      visitOverdue: true,
      hasCommissioner: true,
      visitDueWithinDays: 0,
      demandsStale: true,
      page: 3,
      pageSize: 50,
    });
  });

  it('leaves out what the API would refuse instead of failing the page', () => {
    const state = parseLedgerQuery({
      districtCode: '22',
      industryCode: 'Z',
      tier: 'national',
      commissionerId: 'nobody',
      status: 'deleted',
      hasShortage: 'yes',
      visitDueWithinDays: '400',
      sort: 'creditCode',
      page: '0',
      pageSize: '1000',
      q: '   ',
    });
    expect(toApiQuery(state)).toEqual({ status: 'active', page: 1, pageSize: 20 });
  });

  it('keeps the cursor out of the URL: a link or a reload asks for its page by number', () => {
    const state = parseLedgerQuery({ page: '3', sort: '-name', after: 'eyJsIjoiZW50ZXJwcmlzZXMifQ' });
    expect(state).not.toHaveProperty('after');
    expect(toApiQuery(state)).toEqual({ status: 'active', page: 3, pageSize: 20, sort: '-name' });
    expect(toLocationQuery(state)).toEqual({ page: '3', sort: '-name' });
  });

  it('takes the first of repeated parameters and trims the search text', () => {
    expect(parseLedgerQuery({ q: [' 华信 ', 'x'], page: ['2'] })).toMatchObject({ q: '华信', page: 2 });
  });

  it('names the conditions the search form has no field for', () => {
    expect(linkConditions(parseLedgerQuery({ hasCommissioner: 'false' }))).toEqual([
      { key: 'hasCommissioner', label: '未分配服务专员' },
    ]);
    expect(linkConditions(parseLedgerQuery({ visitDueWithinDays: '7' }))[0].label).toBe('7 天内需走访（含已逾期）');
    expect(linkConditions(parseLedgerQuery({ demandsStale: 'true' }))[0].label).toBe('用工需求清单待更新');
    expect(
      linkConditions(parseLedgerQuery({ hasShortage: 'false', visitOverdue: 'false' })).map((c) => c.label),
    ).toEqual(['无缺工', '走访未逾期']);
    // The form's own checkboxes show "yes".
    expect(linkConditions(parseLedgerQuery({ hasShortage: 'true', visitOverdue: 'true' }))).toEqual([]);
  });

  it('maps the table’s sort indicator to the API’s sort and back', () => {
    expect(sortFromTable('shortage', 'descending')).toBe('-shortage');
    expect(sortFromTable('name', 'ascending')).toBe('name');
    expect(sortFromTable('name', null)).toBeUndefined();
    expect(sortFromTable('creditCode', 'ascending')).toBeUndefined();
    expect(tableSort('-nextVisitDueAt')).toEqual({ prop: 'nextVisitDueAt', order: 'descending' });
    expect(tableSort('employeeCount')).toEqual({ prop: 'employeeCount', order: 'ascending' });
    expect(tableSort(undefined)).toBeUndefined();
  });
});
