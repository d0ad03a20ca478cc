import test from 'ava';
import { cliSandbox } from '@trolley/core/testing';
import { ExitCode } from '@trolley/core';
import { REAL } from './helpers.js';
import { readFirstRecords } from './scrape-records.js';

const database = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';
const ALDI = ['albion-park-g501', 'blair-athol-g457', 'cowra-g439', 'edgecliff-g467'].map((s) => `${REAL}aldi/aldi-${s}-2025-09-19.jsonl.gz`);
const IGA = [`${REAL}iga/iga-local-grocer-north-sydney-2025-09-19.jsonl.gz`, `${REAL}iga/iga-local-grocer-wattle-park-2025-09-18.jsonl.gz`];

/**
 * Lossless grouping of the four Aldi stores keeps the anchor's rows and deletes each member's row for
 * a product the anchor prices too (the same price: Aldi prices nationally): between 3 × the SKUs all
 * four files share and 3 × all their SKUs, whichever store is the anchor.
 */
async function aldiRowsSaved(): Promise<[number, number]> {
  const files = await Promise.all(ALDI.map(async (file) => new Set((await readFirstRecords(file)).records.keys())));
  const all = new Set(files.flatMap((skus) => [...skus]));
  const everywhere = [...all].filter((sku) => files.every((skus) => skus.has(sku)));
  return [3 * everywhere.length, 3 * all.size];
}

test(`groups init, maintain (dry run, then real), show, prices count --by group and stores next, end to end (${database})`, async (t) => {
  const cli = cliSandbox(t, { database });
  const json = async (args: string[]) => {
    const r = await cli.run([...args, '--json'], { env: { TROLLEY_LOG_LEVEL: 'warn' } });
    t.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  t.is((await json(['import', ...ALDI, ...IGA])).totals.imported, 6);
  t.like(await json(['groups', 'init']), { joined: 6, groupsAfter: 6, dryRun: false });

  const dry = await json(['groups', 'maintain', '--dry-run']);
  t.like(dry, { dryRun: true, retention: 'lossless', groups: { before: 6, after: 3 } });
  const [least, most] = await aldiRowsSaved();
  t.true(least >= 300 && dry.rows.deleted >= least && dry.rows.deleted <= most, `${dry.rows.deleted} rows deleted, ${least}–${most} expected`);
  t.is((await json(['groups', 'show'])).totals.groups, 6, 'the dry run changed nothing');

  const real = await json(['groups', 'maintain', '--freshness', '3d']);
  t.like(real, { dryRun: false, groups: { before: 6, after: 3 }, merge: { merges: 3 } });
  t.is(real.rows.deleted, dry.rows.deleted);

  const shown = await json(['groups', 'show', '--company', 'ALDI']);
  t.is(shown.groups.length, 1);
  t.like(shown.groups[0], { company: 'aldi', stores: 4 });
  t.true(shown.groups[0].rowsSaved >= least && shown.groups[0].rowsSaved <= most, `${shown.groups[0].rowsSaved} rows saved`);

  const counted = await json(['prices', 'count', '--by', 'group']);
  t.is(counted.by, 'group');
  t.deepEqual(counted.breakdown.map((b: { stores: number }) => b.stores), [4, 1, 1]);
  type Line = { rows: number; details: { anchorRows: number; memberRows: number; exclusionRows: number; historyRows: number } };
  t.is(counted.breakdown.reduce((n: number, b: Line) => n + b.details.anchorRows + b.details.memberRows + b.details.exclusionRows, 0), real.rows.after);
  t.true(counted.breakdown.every((b: Line) => b.rows === b.details.anchorRows + b.details.memberRows + b.details.exclusionRows + b.details.historyRows && b.details.historyRows > 0));
  const table = await cli.run(['prices', 'count', '--by', 'group']);
  t.regex(table.stdout.split('\n')[0]!, /^GROUP +STORES +ROWS +ANCHOR ROWS +MEMBER ROWS +EXCLUSION ROWS +HISTORY ROWS +ROWS SAVED$/);

  const first = await json(['stores', 'next', '--limit', '2', '--worker', 'w1']);
  const second = await json(['stores', 'next', '--limit', '2', '--worker', 'w2']);
  t.is(first.stores.length, 2);
  t.is(second.stores.length, 2);
  const ids = [...first.stores, ...second.stores].map((s: { id: number }) => s.id);
  t.is(new Set(ids).size, 4, 'two workers never get the same store within 4 hours');
  t.is(first.stores[0].lastScraped, '2025-09-18', 'the longest since scraped first');
  // A store's own code is `code`; `storeId` in JSON is only ever a database id.
  t.true([...first.stores, ...second.stores].every((s: Record<string, unknown>) => typeof s.code === 'string' && s.code !== '' && !('storeId' in s)));

  const human = await cli.run(['groups', 'show'], { env: { TROLLEY_LOG_LEVEL: 'warn' } });
  t.regex(human.stdout, /3 group\(s\) of 6 store\(s\)/);

  // --csv: the same rows for a spreadsheet, a header line first, no sentence around them.
  const csv = (await cli.run(['groups', 'show', '--csv'], { env: { TROLLEY_LOG_LEVEL: 'warn' } })).stdout.trim().split('\n');
  t.is(csv[0], 'COMPANY,GROUP,ANCHOR,SCRAPED,STORES,ANCHOR ROWS,MEMBER ROWS,EXCLUSIONS,HISTORY,ROWS SAVED,RE-SCRAPE');
  t.is(csv.length, 4, csv.join('\n'));
  t.is(csv.filter((line) => line.startsWith('aldi,')).length, 1);
  t.is(csv.find((line) => line.startsWith('aldi,'))!.split(',')[4], '4', 'the Aldi group has 4 stores');
  // --members: every store once, under its group, its anchor first.
  const members = (await cli.run(['groups', 'show', '--members', '--csv'], { env: { TROLLEY_LOG_LEVEL: 'warn' } })).stdout.trim().split('\n');
  t.is(members[0], 'COMPANY,GROUP,STORE,ROLE');
  t.is(members.length, 7, members.join('\n'));
  const aldiStores = members.filter((line) => line.startsWith('aldi,'));
  t.is(aldiStores.length, 4);
  t.is(new Set(aldiStores.map((line) => line.split(',')[1])).size, 1, 'one Aldi group');
  t.deepEqual(aldiStores.map((line) => line.split(',')[3]), ['anchor', 'member', 'member', 'member']);
  t.is(aldiStores[0]!.split(',')[2], shown.groups[0].anchor);
  const nextCsv = await cli.run(['stores', 'next', '--limit', '1', '--csv'], { env: { TROLLEY_LOG_LEVEL: 'warn' } });
  t.is(nextCsv.code, 0, nextCsv.stderr);
  const nextLines = nextCsv.stdout.trim().split('\n');
  t.is(nextLines[0], 'COMPANY,STORE,NAME,STATE,LAST SCRAPED,WHY');
  t.is(nextLines.length, 2, 'one store handed out, one row, no summary sentence');
  const handedOut = [...first.stores, ...second.stores].map((s: { storeId: string }) => s.storeId);
  t.false(handedOut.includes(nextLines[1]!.split(',')[1]!), 'the CSV hand-out is a real one: not a store already handed out');
});

test(`bad input: one sentence, a non-zero exit, nothing changed (${database})`, async (t) => {
  const cli = cliSandbox(t, { database });
  const run = (args: string[]) => cli.run(args, { env: { TROLLEY_LOG_LEVEL: 'warn' } });
  t.is((await run(['import', ALDI[0]!])).code, 0);
  const cases: Array<[string[], number, RegExp]> = [
    [['groups', 'maintain', '--freshness', 'soon'], ExitCode.usage, /^trolley: --freshness "soon" is not a duration; give hours or days like 72h or 3d\.$/],
    [['groups', 'maintain', '--as-of', '2025-13-01'], ExitCode.usage, /^trolley: --as-of "2025-13-01" is not a date; give it as YYYY-MM-DD\.$/],
    [['groups', 'maintain', '--retention', 'shred'], ExitCode.input, /^trolley: No RetentionPolicy named "shred" is installed; choose one of .*lossless.*\.$/],
    [['groups', 'show', '--company', 'woolies'], ExitCode.input, /^trolley: No company named "woolies" is in the database; use one of aldi\.$/],
    [['stores', 'next', '--limit', '0'], ExitCode.usage, /0/],
    [['prices', 'count', '--by', 'planet'], ExitCode.usage, /^trolley: prices count cannot break down by "planet"; use --by with one of company, store, group\.$/],
  ];
  for (const [args, code, message] of cases) {
    const r = await run(args);
    t.is(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    t.regex(r.stderr.trim().split('\n')[0]!, message, args.join(' '));
  }
  const json = await run(['groups', 'maintain', '--retention', 'shred', '--json']);
  t.like(JSON.parse(json.stdout), { error: { code: 'unknown-extension', exitCode: ExitCode.input } });
  const count = await run(['prices', 'count', '--json']);
  t.is(JSON.parse(count.stdout).breakdown[0].details.current, (await readFirstRecords(ALDI[0]!)).records.size, 'nothing was deleted: a price per product of the file');
});
