import test from 'ava';
import { Request } from '@crawlee/http';
import { CrawlQueue } from '../src/crawl-queue.js';

const urls = async (queue: CrawlQueue): Promise<string[]> => {
  const out: string[] = [];
  for await (const request of queue) {
    out.push(request.url);
    await queue.markRequestHandled(request);
  }
  return out;
};

test('requests come out in the order added; at the front they come first', async (t) => {
  const queue = new CrawlQueue();
  await queue.addRequest({ url: 'http://a.test/1' });
  await queue.addRequest({ url: 'http://a.test/2' });
  await queue.addRequest({ url: 'http://a.test/0' }, { forefront: true });
  t.is(queue.getTotalCount(), 3);
  t.is(queue.getPendingCount(), 3);
  t.deepEqual(await urls(queue), ['http://a.test/0', 'http://a.test/1', 'http://a.test/2']);
  t.is(await queue.handledCount(), 3);
  t.true(await queue.isFinished());
});

test('a request of the same address twice is two requests (nothing is deduplicated), each with its own id', async (t) => {
  const queue = new CrawlQueue();
  const first = await queue.addRequest({ url: 'http://a.test/p', uniqueKey: '1:p' });
  const second = await queue.addRequest({ url: 'http://a.test/p', uniqueKey: '2:p' });
  t.false(first.wasAlreadyPresent);
  t.false(second.wasAlreadyPresent);
  t.not(first.requestId, second.requestId);
  t.deepEqual(await urls(queue), ['http://a.test/p', 'http://a.test/p']);
});

test('a reclaimed request is handed out again at once, before the requests queued after it', async (t) => {
  const queue = new CrawlQueue();
  await queue.addRequestsBatched(['http://a.test/1', 'http://a.test/2']);
  const first = (await queue.fetchNextRequest())!;
  t.is(first.url, 'http://a.test/1');
  t.false(await queue.isFinished(), 'a request in progress is not finished');
  first.retryCount++;
  await queue.reclaimRequest(first);
  const again = (await queue.fetchNextRequest())!;
  t.is(again, first);
  t.is(again.retryCount, 1);
  await queue.markRequestHandled(again);
  t.false(await queue.isEmpty());
  t.deepEqual(await urls(queue), ['http://a.test/2']);
  t.is(await queue.handledCount(), 2);
  t.truthy(first.handledAt);
});

test('a crawlee Request is queued as it is; an empty queue hands out null', async (t) => {
  const queue = new CrawlQueue();
  t.is(await queue.fetchNextRequest(), null);
  t.true(await queue.isEmpty());
  const request = new Request({ url: 'http://a.test/x', method: 'POST', payload: '{}', userData: { label: 'page' } });
  await queue.addRequest(request);
  const out = (await queue.fetchNextRequest())!;
  t.is(out, request);
  t.is(out.method, 'POST');
  t.is(out.userData.label, 'page');
  t.true(await queue.isEmpty());
  t.false(await queue.isFinished());
});
