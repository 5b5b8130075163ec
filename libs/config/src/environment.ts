import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

/** Used only outside production, so that a fresh clone runs without any setup. */
const DEVELOPMENT_JWT_SECRET = 'keydesk-development-secret-do-not-use-in-production';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

/**
 * The whole environment of the API, the worker and the CLI, validated once at start.
 * Every variable and its default is here; README's configuration table mirrors it.
 */
export class Environment {
  @IsIn(NODE_ENVS)
  NODE_ENV: NodeEnv = 'development';

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/keydesk';

  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  /** The address the API listens on: every interface by default, `127.0.0.1` for this machine only. */
  @Matches(/^(?:[A-Za-z0-9.-]+|[0-9A-Fa-f:.]+)$/, {
    message: 'must be a host name or an IP address (IPv6 without brackets)',
  })
  HOST = '0.0.0.0';

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_SECRET?: string = undefined;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(7 * 24 * 3600)
  JWT_EXPIRES_IN_SECONDS = 8 * 3600;

  @IsOptional()
  @IsString()
  @MinLength(10, { message: 'must be at least 10 characters' })
  @MaxLength(256, { message: 'must be at most 256 characters' })
  KEYDESK_ADMIN_PASSWORD?: string = undefined;

  /** Hash-tagged by default so that every BullMQ key of one deployment lands in one Redis Cluster slot. */
  @Matches(/^[^:\s]{1,64}$/, { message: 'must be 1-64 characters without ":" or spaces' })
  QUEUE_PREFIX = '{keydesk}';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  RECONCILE_INTERVAL_SECONDS = 300;

  /** Reminder jobs one worker process runs at once. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  WORKER_CONCURRENCY = 4;

  /** The bureau's messaging bot; reminders are also POSTed here when set. */
  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'must be an http:// or https:// URL' })
  WEBHOOK_URL?: string = undefined;

  /** Signs each webhook delivery (HMAC-SHA256); required with WEBHOOK_URL. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  WEBHOOK_SECRET?: string = undefined;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  WEBHOOK_MAX_ATTEMPTS = 10;

  /** First retry delay; each further retry waits twice as long. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(3600 * 1000)
  WEBHOOK_BACKOFF_MS = 5000;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120 * 1000)
  WEBHOOK_TIMEOUT_MS = 10000;

  /** Comma-separated allowed origins; CORS is off when empty. */
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string = undefined;

  /**
   * How many proxies (load balancers) stand in front of the API, so that the per-address login
   * limit sees the client's address: `true` is one. Only the entries those proxies appended to
   * X-Forwarded-For are believed; whatever a client wrote there itself is not.
   */
  @Transform(({ value }: { value: unknown }) => {
    const flag = toBool({ value });
    return flag === true ? 1 : flag === false ? 0 : toInt({ value });
  })
  @IsInt({ message: 'must be true, false or the number of proxies in front of the API' })
  @Min(0)
  @Max(10)
  TRUST_PROXY = 0;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  LOGIN_MAX_FAILURES_PER_USER = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  LOGIN_MAX_FAILURES_PER_ADDRESS = 50;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60;

  /** The longest a login waits while its user name is being guessed at from many addresses. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(300)
  LOGIN_SLOWDOWN_MAX_SECONDS = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  DATABASE_POOL_SIZE = 10;

  /** A query of the API or the worker running longer is cancelled (the request answers 500). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3600 * 1000)
  DATABASE_STATEMENT_TIMEOUT_MS = 30_000;

  get jwtSecret(): string {
    return this.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET;
  }

  get corsOrigins(): string[] {
    return (this.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean);
  }
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigurationError';
  }
}

/** Validates the raw environment; throws a ConfigurationError naming every bad variable. */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  // Every variable is a property with a default (optional ones default to undefined), so this lists them all.
  const known = Object.keys(new Environment());
  const relevant = Object.fromEntries(
    Object.entries(raw).filter(([key, value]) => known.includes(key) && value !== undefined && value !== ''),
  );
  const env = plainToInstance(Environment, relevant);
  const problems = validateSync(env, { skipMissingProperties: false }).flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? message : `${error.property} ${message}`,
    ),
  );
  if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
    problems.push('JWT_SECRET is required when NODE_ENV is production');
  }
  if (env.WEBHOOK_URL && !env.WEBHOOK_SECRET) {
    problems.push('WEBHOOK_SECRET is required when WEBHOOK_URL is set');
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return env;
}
