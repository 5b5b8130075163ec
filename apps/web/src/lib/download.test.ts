import { afterEach, describe, expect, it, vi } from 'vitest';
import { auth } from '@/api/client';
import { ApiError } from '@/api/errors';
import { downloadFile, exportQuery, fileNameFromDisposition, withQuery } from './download';

describe('file names from Content-Disposition', () => {
  it('takes the UTF-8 name before the ASCII fallback', () => {
    const header =
      'attachment; filename="qiye-taizhang-20261201-0930.xlsx"; filename*=UTF-8\'\'%E4%BC%81%E4%B8%9A%E5%8F%B0%E8%B4%A6-20261201-0930.xlsx';
    expect(fileNameFromDisposition(header)).toBe('企业台账-20261201-0930.xlsx');
  });

  it('reads the charset without regard to case, and with a language tag', () => {
    expect(fileNameFromDisposition("attachment; filename*=utf-8'zh-CN'%E9%9C%80%E6%B1%82.csv")).toBe('需求.csv');
  });

  it('falls back to the plain name, quoted or not', () => {
    expect(fileNameFromDisposition('attachment; filename="report \\"1\\".xlsx"')).toBe('report "1".xlsx');
    expect(fileNameFromDisposition('attachment; filename=report.csv')).toBe('report.csv');
  });

  it('falls back to the plain name when the encoded one is broken or in another charset', () => {
    expect(fileNameFromDisposition('attachment; filename*=UTF-8\'\'%E4%ZZ.xlsx; filename="plain.xlsx"')).toBe(
      'plain.xlsx',
    );
    expect(fileNameFromDisposition('attachment; filename*=iso-8859-1\'\'x.xlsx; filename="plain.xlsx"')).toBe(
      'plain.xlsx',
    );
  });

  it('keeps only the last part of a path, and says null when no name is given', () => {
    expect(fileNameFromDisposition("attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd")).toBe('passwd');
    expect(fileNameFromDisposition('attachment; filename="C:\\\\temp\\\\a.xlsx"')).toBe('a.xlsx');
    expect(fileNameFromDisposition('attachment')).toBeNull();
    expect(fileNameFromDisposition(null)).toBeNull();
    expect(fileNameFromDisposition('attachment; filename=".."')).toBeNull();
  });
});

describe('export queries', () => {
  it('keep every filter and the sort, not the page', () => {
    const query = exportQuery({
      status: 'active',
      tier: 'district',
      hasShortage: true,
      sort: '-shortage',
      page: 3,
      pageSize: 50,
    });
    expect(query).toEqual({ status: 'active', tier: 'district', hasShortage: true, sort: '-shortage' });
    expect(withQuery('/api/v1/enterprises/export.xlsx', query)).toBe(
      '/api/v1/enterprises/export.xlsx?status=active&tier=district&hasShortage=true&sort=-shortage',
    );
  });

  it('leave out what is empty and encode what is not', () => {
    expect(withQuery('/x', { q: '一汽 & 子', districtCode: undefined, urgency: null, occupation: '' })).toBe(
      '/x?q=%E4%B8%80%E6%B1%BD+%26+%E5%AD%90',
    );
    expect(withQuery('/x', {})).toBe('/x');
  });
});

describe('downloadFile', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    auth.token = null;
  });

  it('sends the token and saves the file under the server’s name', async () => {
    auth.token = 't0k';
    const fetch = vi.fn(
      async () =>
        new Response('a,b\n', {
          headers: { 'Content-Disposition': "attachment; filename*=UTF-8''%E8%B5%B0%E8%AE%BF.csv" },
        }),
    );
    vi.stubGlobal('fetch', fetch);
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:x');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);

    const name = await downloadFile('/api/v1/visits/export.csv', '走访记录.csv', { method: 'phone', page: undefined });

    expect(name).toBe('走访.csv');
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/visits/export.csv?method=phone');
    expect(new Headers(init.headers).get('Authorization')).toBe('Bearer t0k');
    expect(click).toHaveBeenCalledOnce();
    expect((click.mock.contexts[0] as HTMLAnchorElement).download).toBe('走访.csv');
  });

  it('turns a refusal into an ApiError carrying its problem details', async () => {
    const problem = {
      type: 'urn:keydesk:error:too-many-requests',
      title: 'x',
      status: 429,
      detail: 'busy',
      instance: '/e',
    };
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify(problem), { status: 429, headers: { 'Retry-After': '3' } })),
    );
    const failure = await downloadFile('/api/v1/enterprises/export.xlsx', 'x.xlsx').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 429, problem, retryAfter: '3' });
  });
});
