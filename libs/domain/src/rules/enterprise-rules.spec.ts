import {
  assignmentReasonError,
  diffFields,
  effectiveVisitCadenceDays,
  enterpriseFieldErrors,
  EnterpriseFields,
  fieldsRoleMayNotEdit,
} from './enterprise-rules';

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

describe('the fields of an enterprise', () => {
  const valid: EnterpriseFields = {
    name: '长春一汽富维汽车零部件有限公司',
    creditCode: '91350100M000100Y43',
    industryCode: 'C',
    districtCode: '220104',
    address: '长春市朝阳区红旗街 1 号',
    tier: 'municipal',
    employeeCount: 1200,
    contactName: '王敏',
    contactPhone: '13912345678',
    visitCadenceDays: null,
  };
  const fieldsAtFault = (fields: Partial<EnterpriseFields>) => enterpriseFieldErrors(fields).map((e) => e.field);

  it('accepts a complete valid enterprise, a landline and a cadence of its own', () => {
    expect(enterpriseFieldErrors(valid)).toEqual([]);
    expect(enterpriseFieldErrors({ ...valid, contactPhone: '0431-88886666', visitCadenceDays: 366 })).toEqual([]);
    expect(enterpriseFieldErrors({ ...valid, employeeCount: 0, visitCadenceDays: 1 })).toEqual([]);
  });

  it('checks only the fields sent', () => {
    expect(enterpriseFieldErrors({})).toEqual([]);
    expect(enterpriseFieldErrors({ employeeCount: 12 })).toEqual([]);
    expect(enterpriseFieldErrors({ employeeCount: -1 })).toEqual([
      { field: 'employeeCount', message: 'must be a whole number from 0 to 10000000' },
    ]);
  });

  it('refuses a credit code with a wrong check character and a phone that is not mainland', () => {
    expect(enterpriseFieldErrors({ creditCode: '91350100M000100Y44', contactPhone: '12345' })).toEqual([
      { field: 'creditCode', message: 'must be a valid unified social credit code (GB 32100-2015)' },
      {
        field: 'contactPhone',
        message: 'must be a mainland mobile (11 digits) or landline number (0431-88886666)',
      },
    ]);
  });

  it('refuses an unknown tier', () => {
    expect(enterpriseFieldErrors({ tier: 'national' as EnterpriseFields['tier'] })).toEqual([
      { field: 'tier', message: 'must be one of provincial, municipal, district' },
    ]);
  });

  it('keeps the headcount and the cadence whole and within range; a null cadence is the default', () => {
    expect(fieldsAtFault({ employeeCount: 10_000_001 })).toEqual(['employeeCount']);
    expect(fieldsAtFault({ employeeCount: 1.5 })).toEqual(['employeeCount']);
    expect(fieldsAtFault({ visitCadenceDays: 0 })).toEqual(['visitCadenceDays']);
    expect(fieldsAtFault({ visitCadenceDays: 367 })).toEqual(['visitCadenceDays']);
    expect(fieldsAtFault({ visitCadenceDays: 7.5 })).toEqual(['visitCadenceDays']);
    expect(fieldsAtFault({ visitCadenceDays: null })).toEqual([]);
  });

  it('holds texts to the lengths of their columns, blank padding not counting towards the minimum', () => {
    expect(
      enterpriseFieldErrors({ name: 'x'.repeat(200), address: 'y'.repeat(300), contactName: 'z'.repeat(50) }),
    ).toEqual([]);
    expect(enterpriseFieldErrors({ name: 'x'.repeat(201), address: ' 1 ', contactName: '' })).toEqual([
      { field: 'name', message: 'must be at most 200 characters' },
      { field: 'address', message: 'must be at least 2 characters' },
      { field: 'contactName', message: 'must not be blank' },
    ]);
  });

  it('names every field at fault at once', () => {
    expect(fieldsAtFault({ ...valid, name: 'A', tier: 'x' as EnterpriseFields['tier'], employeeCount: -5 })).toEqual([
      'name',
      'tier',
      'employeeCount',
    ]);
  });
});

describe('the reason of a reassignment', () => {
  it('is 2 to 500 characters', () => {
    expect(assignmentReasonError('张伟调岗')).toBeNull();
    expect(assignmentReasonError(' x ')).toBe('must be at least 2 characters');
    expect(assignmentReasonError('x'.repeat(501))).toBe('must be at most 500 characters');
  });
});
