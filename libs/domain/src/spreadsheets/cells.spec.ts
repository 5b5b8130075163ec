import { attachmentDisposition, beijingDateTime, fileStamp, safeText } from './cells';

describe('spreadsheet cells', () => {
  it('writes a cell that starts like a formula as text', () => {
    expect(safeText('=HYPERLINK("http://x","y")')).toBe(`'=HYPERLINK("http://x","y")`);
    expect(safeText('+86 138')).toBe(`'+86 138`);
    expect(safeText('-1+2')).toBe(`'-1+2`);
    expect(safeText('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(safeText('华为 = 好')).toBe('华为 = 好');
  });

  it('reads moments in Beijing time whatever the server zone', () => {
    const moment = new Date('2026-12-01T16:30:00Z');
    expect(beijingDateTime(moment)).toBe('2026-12-02 00:30');
    expect(fileStamp(moment)).toBe('20261202-0030');
  });

  it('names a download in UTF-8 with an ASCII fallback', () => {
    expect(attachmentDisposition('企业台账.xlsx', 'enterprises.xlsx')).toBe(
      `attachment; filename="enterprises.xlsx"; filename*=UTF-8''%E4%BC%81%E4%B8%9A%E5%8F%B0%E8%B4%A6.xlsx`,
    );
  });
});
