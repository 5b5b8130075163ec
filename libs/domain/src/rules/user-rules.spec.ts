import { userFieldErrors } from './user-rules';

const valid = {
  username: 'li.na',
  password: 'a-long-enough-password',
  displayName: '李娜',
  role: 'supervisor',
  districtCodes: ['220102', '220104'],
  phone: '13912345678',
};
const fields = (input: Parameters<typeof userFieldErrors>[0]) => userFieldErrors(input).map((error) => error.field);

describe('the rules of a user’s fields', () => {
  it('accepts a complete, valid user, and checks nothing that is left out', () => {
    expect(userFieldErrors(valid)).toEqual([]);
    expect(userFieldErrors({})).toEqual([]);
    expect(userFieldErrors({ phone: null, districtCodes: [] })).toEqual([]);
    expect(userFieldErrors({ phone: '0431-88886666' })).toEqual([]);
  });

  it.each([
    ['capitals', 'Li.Na'],
    ['too short', 'ab'],
    ['too long', 'a'.repeat(33)],
    ['a space', 'li na'],
    ['Chinese', '李娜'],
  ])('refuses a user name with %s', (_, username) => {
    expect(fields({ username })).toEqual(['username']);
  });

  it('takes user names of 3 to 32 of a-z, 0-9, _ . -', () => {
    expect(fields({ username: 'c.x' })).toEqual([]);
    expect(fields({ username: `a_-.9${'z'.repeat(27)}` })).toEqual([]);
  });

  it('wants a password of 10 to 256 characters', () => {
    expect(fields({ password: 'short' })).toEqual(['password']);
    expect(fields({ password: 'x'.repeat(9) })).toEqual(['password']);
    expect(fields({ password: 'x'.repeat(10) })).toEqual([]);
    expect(fields({ password: 'x'.repeat(256) })).toEqual([]);
    expect(fields({ password: 'x'.repeat(257) })).toEqual(['password']);
  });

  it('wants a display name of 1 to 64 characters that is not blank', () => {
    expect(fields({ displayName: '' })).toEqual(['displayName']);
    expect(fields({ displayName: '   ' })).toEqual(['displayName']);
    expect(fields({ displayName: '名'.repeat(64) })).toEqual([]);
    expect(fields({ displayName: '名'.repeat(65) })).toEqual(['displayName']);
  });

  it('refuses control characters in a display name (a list cursor carries the name)', () => {
    expect(fields({ displayName: '李\u0000娜' })).toEqual(['displayName']);
    expect(fields({ displayName: '李\n娜' })).toEqual(['displayName']);
    expect(fields({ displayName: '\u0001'.repeat(64) })).toEqual(['displayName']);
    expect(fields({ displayName: '李 娜' })).toEqual([]);
  });

  it('knows the three roles only', () => {
    for (const role of ['admin', 'supervisor', 'commissioner']) expect(fields({ role })).toEqual([]);
    expect(userFieldErrors({ role: 'owner' })).toEqual([
      { field: 'role', message: 'must be one of admin, supervisor, commissioner' },
    ]);
  });

  it('wants district codes of 6 digits, each once, at most 50', () => {
    expect(fields({ districtCodes: ['22010'] })).toEqual(['districtCodes']);
    expect(fields({ districtCodes: ['220102', '220102'] })).toEqual(['districtCodes']);
    const many = Array.from({ length: 51 }, (_, i) => String(220100 + i));
    expect(fields({ districtCodes: many })).toEqual(['districtCodes']);
    expect(fields({ districtCodes: many.slice(0, 50) })).toEqual([]);
  });

  it('wants a mainland phone number, or none', () => {
    expect(fields({ phone: '12345' })).toEqual(['phone']);
    expect(fields({ phone: '' })).toEqual(['phone']);
  });

  it('names every field at fault at once', () => {
    expect(fields({ ...valid, username: 'X', role: 'owner', phone: '1' })).toEqual(['username', 'role', 'phone']);
  });
});
