import { diffFields, effectiveVisitCadenceDays, fieldsRoleMayNotEdit } from './enterprise-rules';

describe('who may change which ledger field', () => {
  it('lets commissioners change only what they learn in the field', () => {
    expect(fieldsRoleMayNotEdit('commissioner', ['address', 'employeeCount', 'contactName', 'contactPhone'])).toEqual(
      [],
    );
    expect(fieldsRoleMayNotEdit('commissioner', ['employeeCount', 'name', 'tier'])).toEqual(['name', 'tier']);
    expect(fieldsRoleMayNotEdit('commissioner', ['visitCadenceDays', 'districtCode', 'creditCode'])).toEqual([
      'visitCadenceDays',
      'districtCode',
      'creditCode',
    ]);
  });

  it('lets supervisors and admins change every editable field', () => {
    expect(fieldsRoleMayNotEdit('supervisor', ['name', 'tier', 'districtCode'])).toEqual([]);
    expect(fieldsRoleMayNotEdit('admin', ['creditCode', 'visitCadenceDays'])).toEqual([]);
  });
});

describe('revisions', () => {
  it('records only fields whose value changes, as from → to', () => {
    const current = { name: 'A', employeeCount: 10, address: 'x', visitCadenceDays: null as number | null };
    expect(diffFields(current, { name: 'A', employeeCount: 12, visitCadenceDays: null })).toEqual({
      employeeCount: { from: 10, to: 12 },
    });
  });

  it('treats absent fields as unchanged and a cleared value as a change to null', () => {
    const current = { visitCadenceDays: 14 as number | null, address: 'x' };
    expect(diffFields(current, { address: undefined, visitCadenceDays: null })).toEqual({
      visitCadenceDays: { from: 14, to: null },
    });
  });

  it('records dates as ISO strings', () => {
    const changes = diffFields({ at: new Date('2026-01-01T00:00:00Z') }, { at: new Date('2026-01-02T00:00:00Z') });
    expect(changes).toEqual({ at: { from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z' } });
  });
});

describe('visit cadence', () => {
  const byTier = { provincial: 14, municipal: 30, district: 60 };

  it("uses the tier's default unless the enterprise has its own", () => {
    expect(effectiveVisitCadenceDays({ visitCadenceDays: null, tier: 'provincial' }, byTier)).toBe(14);
    expect(effectiveVisitCadenceDays({ visitCadenceDays: null, tier: 'district' }, byTier)).toBe(60);
    expect(effectiveVisitCadenceDays({ visitCadenceDays: 7, tier: 'district' }, byTier)).toBe(7);
  });
});
