import { creditCodeCheckCharacter, isValidCreditCode } from './credit-code';

describe('unified social credit code (GB 32100-2015)', () => {
  it("accepts SPEC's valid example and refuses its invalid one", () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
  });

  it('computes the check character from the weighted sum', () => {
    expect(creditCodeCheckCharacter('91350100M000100Y4')).toBe('3');
  });

  it('maps a remainder of zero (31) to the character 0', () => {
    // The last body character has weight 28, coprime to 31: varying it reaches every check value once.
    const body = [...'0123456789ABCDEFGHJKLMNPQRTUWXY']
      .map((last) => `9122010200000000${last}`)
      .find((candidate) => creditCodeCheckCharacter(candidate) === '0');
    expect(body).toBeDefined();
    expect(isValidCreditCode(`${body}0`)).toBe(true);
  });

  it.each([
    ['too short', '91350100M000100Y4'],
    ['too long', '91350100M000100Y433'],
    ['lower case', '91350100m000100y43'],
    ['letter I is not in the charset', '91350100I000100Y43'],
    ['region code must be digits', '91A50100M000100Y43'],
    ['empty', ''],
  ])('refuses a code that is %s', (_, code) => {
    expect(isValidCreditCode(code)).toBe(false);
  });

  it('detects any single changed character', () => {
    const valid = '91350100M000100Y43';
    const charset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    for (let position = 8; position < 17; position++) {
      for (const replacement of charset) {
        if (replacement === valid[position]) continue;
        const changed = valid.slice(0, position) + replacement + valid.slice(position + 1);
        expect(isValidCreditCode(changed)).toBe(false);
      }
    }
  });
});
