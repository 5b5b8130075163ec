import { describe, expect, it } from 'vitest';
import { barQuery, parseDemandQuery, parseGroupBy, salaryText } from './demand-query';

describe('demand list query', () => {
  it('defaults to open demands, page 1 of 20, the API’s own sort', () => {
    expect(parseDemandQuery({})).toEqual({
      status: 'open',
      page: 1,
      pageSize: 20,
      districtCode: undefined,
      industryCode: undefined,
      occupationCategory: undefined,
      occupation: undefined,
      urgency: undefined,
      sort: undefined,
    });
  });

  it('reads every filter the API takes', () => {
    const state = parseDemandQuery({
      districtCode: '220102',
      industryCode: 'C',
      occupationCategory: '6',
      occupation: ' 焊工 ',
      urgency: 'urgent',
      status: 'all',
      sort: '-shortage',
      page: '3',
      pageSize: '50',
    });
    expect(state).toMatchObject({
      districtCode: '220102',
      industryCode: 'C',
      occupationCategory: '6',
      occupation: '焊工',
      urgency: 'urgent',
      status: 'all',
      sort: '-shortage',
      page: 3,
      pageSize: 50,
    });
  });

  it('leaves out what the API would refuse', () => {
    const state = parseDemandQuery({
      districtCode: '2201',
      industryCode: 'Z',
      occupationCategory: 'x y',
      urgency: 'soon',
      status: 'done',
      sort: 'name',
      page: '0',
      pageSize: '500',
    });
    expect(state).toMatchObject({ status: 'open', page: 1, pageSize: 20 });
    for (const key of ['districtCode', 'industryCode', 'occupationCategory', 'urgency', 'sort'] as const)
      expect(state[key]).toBeUndefined();
  });

  it('groups the summary by district unless the URL names another grouping', () => {
    expect(parseGroupBy({})).toBe('district');
    expect(parseGroupBy({ groupBy: 'industry' })).toBe('industry');
    expect(parseGroupBy({ groupBy: 'tier' })).toBe('district');
  });

  it('opens a bar’s open demands under its own filter only', () => {
    expect(barQuery('district', '220102')).toEqual({ districtCode: '220102' });
    expect(barQuery('industry', 'C')).toEqual({ industryCode: 'C' });
    expect(barQuery('occupationCategory', '6')).toEqual({ occupationCategory: '6' });
  });

  it('writes salary ranges in yuan a month (SPEC: CNY/month)', () => {
    expect(salaryText(null, null)).toBe('面议');
    expect(salaryText(5000, 6500)).toBe('5,000–6,500 元/月');
    expect(salaryText(5000, 5000)).toBe('5,000 元/月');
    expect(salaryText(5000, null)).toBe('5,000 元/月起');
    expect(salaryText(null, 8000)).toBe('至 8,000 元/月');
  });
});
