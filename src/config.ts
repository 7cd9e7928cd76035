/**
 * The one place that reads process.env. Parsed once, typed, and startup fails
 * naming the key when a value is bad.
 */
import { BinkuError } from './domain/errors.ts';

export interface Config {
  /** postgres://… when set: use that server instead of embedded PGlite. */
  databaseUrl: string | undefined;
  /** Embedded PGlite data folder (created if missing). */
  dataDir: string;
  /** HTTP port for `binku serve` / `npm start`. */
  port: number;
  host: string;
  /** Secret for pseudonymized linkage (HMAC of ID numbers) and session signing. */
  secret: string | undefined;
  logLevel: string;
  /** Allowed browser origin for CORS (BINKU_CORS_ORIGIN); unset = CORS off. */
  corsOrigin: string | undefined;
  /** Trust X-Forwarded-For from a reverse proxy (BINKU_TRUST_PROXY=1 or a proxy address list). */
  trustProxy: boolean | string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT ?? env.BINKU_PORT;
  const portNum = port === undefined || port === '' ? 8080 : Number(port);
  if (!Number.isInteger(portNum) || portNum < 0 || portNum > 65535) {
    throw new BinkuError('BK_CONFIG_INVALID', `配置项 PORT 无效: ${port}`, { en: `invalid PORT: ${port}` });
  }
  const databaseUrl = env.DATABASE_URL && env.DATABASE_URL.trim() !== '' ? env.DATABASE_URL.trim() : undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new BinkuError('BK_CONFIG_INVALID', '配置项 DATABASE_URL 必须以 postgres:// 开头', { en: 'DATABASE_URL must start with postgres://' });
  }
  return {
    databaseUrl,
    dataDir: env.BINKU_DATA_DIR && env.BINKU_DATA_DIR !== '' ? env.BINKU_DATA_DIR : './data',
    port: portNum,
    host: env.BINKU_HOST ?? '127.0.0.1',
    secret: env.BINKU_SECRET || undefined,
    logLevel: env.BINKU_LOG_LEVEL ?? 'info',
    trustProxy: !env.BINKU_TRUST_PROXY || env.BINKU_TRUST_PROXY === '0' ? false : env.BINKU_TRUST_PROXY === '1' || env.BINKU_TRUST_PROXY === 'true' ? true : env.BINKU_TRUST_PROXY,
    corsOrigin: env.BINKU_CORS_ORIGIN && env.BINKU_CORS_ORIGIN.trim() !== '' ? env.BINKU_CORS_ORIGIN.trim() : undefined,
  };
}

let cached: Config | undefined;
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}

/**
 * Terminal switches of the CLI, read apart from `config()` so that printing an
 * error never fails on a bad value elsewhere in the environment.
 * BINKU_DEBUG (any value): stack traces after errors; BINKU_PROGRESS=1: progress
 * lines even when stderr is not a terminal.
 */
export function cliSwitches(env: NodeJS.ProcessEnv = process.env): { debug: boolean; forceProgress: boolean } {
  return { debug: !!env.BINKU_DEBUG, forceProgress: env.BINKU_PROGRESS === '1' };
}
