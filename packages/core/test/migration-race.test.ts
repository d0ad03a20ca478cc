/**
 * Two processes started together on a fresh database both migrate it: an advisory lock makes the
 * second wait for the first instead of racing it (which made one exit 1 on a duplicate pg_type row).
 */
import test from 'ava';
import { Database } from '../src/db/database.js';
import { migrateToLatest, migrationStatus } from '../src/db/migrations.js';
import { cliSandbox, migrationsWith, silentLogger, uniqueSchema, dropSchema } from '../src/testing/index.js';

const server = process.env.TEST_DATABASE_URL;
const PAIRS = 12;

if (server) {
  test(`${PAIRS} pairs of commands started together on a fresh PostgreSQL schema all succeed`, async (t) => {
    const failures: string[] = [];
    for (let pair = 0; pair < PAIRS; pair++) {
      const cli = cliSandbox(t, { database: 'server' });
      const runs = await Promise.all([cli.run(['prices', 'count', '--json']), cli.run(['prices', 'count', '--json'])]);
      for (const run of runs) if (run.code !== 0) failures.push(`pair ${pair}: exit ${run.code}: ${run.stderr.trim()}`);
    }
    t.deepEqual(failures, []);
  });

  test(`${PAIRS} pairs of in-process migrations on fresh schemas never race`, async (t) => {
    for (let pair = 0; pair < PAIRS; pair++) {
      const schema = uniqueSchema('race');
      t.teardown(() => dropSchema(server, schema));
      const dbs = [0, 1].map(() => new Database({ kind: 'postgres', url: server, schema }, silentLogger));
      t.teardown(() => Promise.all(dbs.map((d) => d.close())));
      const knexes = await Promise.all(dbs.map((d) => d.knex()));
      const applied = await Promise.all(knexes.map((k) => migrateToLatest(k, migrationsWith())));
      t.is(applied[0]!.length + applied[1]!.length, migrationsWith().length, 'each migration ran once');
      t.deepEqual((await migrationStatus(knexes[0]!, migrationsWith())).pending, []);
    }
  });
} else {
  test('on the embedded database, two commands started together on a fresh home: each succeeds or is told the database is in use (exit 5), never exit 1', async (t) => {
    for (let pair = 0; pair < 3; pair++) {
      const cli = cliSandbox(t);
      const runs = await Promise.all([cli.run(['prices', 'count', '--json']), cli.run(['prices', 'count', '--json'])]);
      for (const run of runs) t.true(run.code === 0 || run.code === 5, `exit ${run.code}: ${run.stderr}`);
      t.true(runs.some((r) => r.code === 0));
    }
  });
}
