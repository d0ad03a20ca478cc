import test from 'ava';
import path from 'node:path';
import { resolveConfig } from '../src/context/config.js';
import { ExitCode } from '../src/errors.js';

const dataDir = '/var/data/trolley';

test('defaults: embedded database in the CLI data directory, info logs, auto format, auto-migrate', (t) => {
  const config = resolveConfig({ dataDir, env: {}, flags: {} });
  t.deepEqual(config, { home: dataDir, databaseUrl: undefined, databaseSchema: undefined, autoMigrate: true, logLevel: 'info', logFormat: 'auto', importDigest: true });
});

test('environment beats defaults and flags beat the environment', (t) => {
  const env = { TROLLEY_HOME: 'rel/home', DATABASE_URL: 'postgres://env/db', TROLLEY_LOG_LEVEL: 'debug', TROLLEY_LOG_FORMAT: 'json', TROLLEY_AUTO_MIGRATE: '0' };
  const fromEnv = resolveConfig({ dataDir, env, flags: {} });
  t.is(fromEnv.home, path.resolve('rel/home'));
  t.is(fromEnv.databaseUrl, 'postgres://env/db');
  t.is(fromEnv.logLevel, 'debug');
  t.is(fromEnv.logFormat, 'json');
  t.false(fromEnv.autoMigrate);
  t.true(fromEnv.importDigest);
  t.false(resolveConfig({ dataDir, env: { TROLLEY_IMPORT_DIGEST: '0' }, flags: {} }).importDigest);
  const fromFlags = resolveConfig({ dataDir, env, flags: { 'database-url': 'postgres://flag/db', 'log-level': 'WARN', 'log-format': 'pretty' } });
  t.is(fromFlags.databaseUrl, 'postgres://flag/db');
  t.is(fromFlags.logLevel, 'warn');
  t.is(fromFlags.logFormat, 'pretty');
});

test('an empty DATABASE_URL means the embedded database', (t) => {
  t.is(resolveConfig({ dataDir, env: { DATABASE_URL: '  ' }, flags: {} }).databaseUrl, undefined);
});

test('a bad value is a usage error that names the setting and the choices', (t) => {
  const level = t.throws(() => resolveConfig({ dataDir, env: { TROLLEY_LOG_LEVEL: 'loud' }, flags: {} }));
  t.regex(level?.message ?? '', /log level .*"loud" is not one of fatal, error, warn, info, debug, trace, silent/);
  t.is((level as { exitCode?: number }).exitCode, ExitCode.usage);
  const migrate = t.throws(() => resolveConfig({ dataDir, env: { TROLLEY_AUTO_MIGRATE: 'maybe' }, flags: {} }));
  t.regex(migrate?.message ?? '', /TROLLEY_AUTO_MIGRATE="maybe" is not a yes\/no value/);
});
