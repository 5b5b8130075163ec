import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { PageNumberQueryDto, PageQueryDto, splitPaging } from './query.dto';

const faults = (type: typeof PageQueryDto | typeof PageNumberQueryDto, query: Record<string, unknown>) =>
  validateSync(plainToInstance(type, query), { whitelist: true, forbidNonWhitelisted: true }).flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) => `${error.property}: ${message}`),
  );

describe('list paging at the edge', () => {
  it('takes `after` as an opaque base64url cursor of at most 512 characters', () => {
    expect(faults(PageQueryDto, { page: '3', pageSize: '20', after: 'eyJsIjoiZW50ZXJwcmlzZXMifQ' })).toEqual([]);
    expect(faults(PageQueryDto, { after: 'A'.repeat(512) })).toEqual([]);
    expect(faults(PageQueryDto, { after: 'A'.repeat(513) })).toEqual([
      'after: after must be shorter than or equal to 512 characters',
    ]);
    expect(faults(PageQueryDto, { after: 'a b' })).toEqual(['after: must be a nextCursor of this list']);
    expect(faults(PageQueryDto, { after: '' })).toEqual(['after: must be a nextCursor of this list']);
    expect(faults(PageQueryDto, { after: ['a', 'b'] }).length).toBeGreaterThan(0);
  });

  it('keeps paging apart from the filters, so that a cursor never reaches a filter or an export', () => {
    const query = plainToInstance(PageQueryDto, { page: '2', pageSize: '10', after: 'abc' });
    const [page, filter] = splitPaging(Object.assign(query, { q: '汽车' }));
    expect(page).toEqual({ page: 2, pageSize: 10, after: 'abc' });
    expect(filter).toEqual({ q: '汽车' });
  });

  it('refuses `after` on a list that pages by page number only, rather than ignoring it', () => {
    expect(faults(PageNumberQueryDto, { page: '2' })).toEqual([]);
    expect(faults(PageNumberQueryDto, { after: 'abc' })).toEqual(['after: this list pages by page number only']);
    expect(plainToInstance(PageNumberQueryDto, { page: '2', pageSize: '5' }).pageRequest).toEqual({
      page: 2,
      pageSize: 5,
    });
  });
});
