import { ConfigurationError, validateEnvironment } from './environment';

describe('the environment', () => {
  it('has working defaults for a workstation', () => {
    const env = validateEnvironment({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/keydesk');
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(env.QUEUE_PREFIX).toBe('{keydesk}');
    expect(env.RECONCILE_INTERVAL_SECONDS).toBe(300);
  });

  it('listens on every interface unless HOST names one', () => {
    expect(validateEnvironment({}).HOST).toBe('0.0.0.0');
    expect(validateEnvironment({ HOST: '127.0.0.1' }).HOST).toBe('127.0.0.1');
    expect(validateEnvironment({ HOST: '::' }).HOST).toBe('::');
    expect(() => validateEnvironment({ HOST: 'not a host!' })).toThrow(/HOST/);
    expect(() => validateEnvironment({ HOST: '[::1]' })).toThrow(/HOST/);
  });

  it('converts numbers from strings', () => {
    expect(validateEnvironment({ PORT: '8080', RECONCILE_INTERVAL_SECONDS: '60' })).toMatchObject({
      PORT: 8080,
      RECONCILE_INTERVAL_SECONDS: 60,
    });
  });

  it('names every bad variable', () => {
    let error: unknown;
    try {
      validateEnvironment({ PORT: 'eighty', DATABASE_URL: 'mysql://x', QUEUE_PREFIX: 'a:b' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/DATABASE_URL/);
    expect(message).toMatch(/QUEUE_PREFIX/);
  });

  it('requires a real JWT_SECRET in production', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    expect(validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).jwtSecret).toBe('x'.repeat(32));
  });

  it('refuses a short KEYDESK_ADMIN_PASSWORD', () => {
    expect(() => validateEnvironment({ KEYDESK_ADMIN_PASSWORD: 'short' })).toThrow(/KEYDESK_ADMIN_PASSWORD/);
  });
});
