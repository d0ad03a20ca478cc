import test from 'ava';
import type { Knex } from 'knex';
import { importFiles } from '../../src/import/import-files.js';
import { catalogueChangedSince, catalogueSnapshot, pruneCatalogueChanges } from '../../src/search/catalogue-changes.js';
import { ALDI, FIXTURES, fixtureDatabase, IGA } from './helpers.js';

/** The snapshot a server's copy of the catalogue would be read with, now. */
const snapshotNow = (knex: Knex) =>
  knex.transaction(async (trx) => {
    await trx.raw('set transaction isolation level repeatable read, read only');
    return catalogueSnapshot(trx);
  });

const notes = async (knex: Knex): Promise<string[]> => (await knex.raw(`select txid::text as txid from catalogue_changes order by txid`)).rows.map((r: { txid: string }) => r.txid);
const age = (knex: Knex) => knex.raw(`update catalogue_changes set changed_at = now() - interval '2 days'`);

test('old notes of catalogue changes are pruned, and a copy read before a pruned change still shows as stale', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI]);
  const before = await snapshotNow(knex);
  await knex.raw(`insert into brands (key, name) values ('zzyzx', 'Zzyzx')`);
  const current = await snapshotNow(knex);
  t.true(await catalogueChangedSince(knex, before));
  t.false(await catalogueChangedSince(knex, current));

  const all = await notes(knex);
  t.true(all.length > 1);
  t.is(await pruneCatalogueChanges(knex), 0, 'no note is a day old yet');
  t.deepEqual(await notes(knex), all);
  t.false(await catalogueChangedSince(knex, current), 'a prune that deleted nothing is no change');

  await age(knex);
  t.is(await pruneCatalogueChanges(knex), all.length);
  const left = await notes(knex);
  t.is(left.length, 1, "only the pruning transaction's own note is left");
  t.false(all.includes(left[0]!));
  t.true(await catalogueChangedSince(knex, before), 'the change the older copy did not see still shows, though its note is gone');
  t.true(await catalogueChangedSince(knex, current), 'and, once more than needed, for the copy that had seen it');
  t.false(await catalogueChangedSince(knex, await snapshotNow(knex)), 'a copy read after the prune is current');
});

test('an import ends by pruning the notes a day old, and keeps younger ones', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI]);
  await age(knex);
  const old = await notes(knex);
  t.true(old.length > 0);
  await importFiles(knex, [FIXTURES + IGA]);
  const afterImport = await notes(knex);
  t.true(afterImport.length > 0, "the import's own notes (and the prune's)");
  t.deepEqual(
    afterImport.filter((txid) => old.includes(txid)),
    [],
    'every note a day old is gone',
  );
  await importFiles(knex, [FIXTURES + ALDI]);
  const later = await notes(knex);
  t.deepEqual(
    afterImport.filter((txid) => !later.includes(txid)),
    [],
    'notes younger than a day are kept',
  );
});
