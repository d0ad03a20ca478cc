// A file of its own: the solver is loaded once per process, so no other test may have loaded it first.
import test from 'ava';
import { splitSolverLoaded } from '../../src/basket/split-model.js';
import { testDatabase } from '../../src/testing/index.js';
import { serveApi } from './helpers.js';

test('the server loads the basket solver as it starts, not on the first basket', async (t) => {
  const { knex } = await testDatabase(t);
  t.false(splitSolverLoaded(), 'nothing has loaded it yet');
  const api = await serveApi(t, knex);
  t.true(splitSolverLoaded(), 'loaded by the time the server listens');
  t.is((await api.get('/healthz')).status, 200);
});
