// The walking skeleton, as a user: type keys, press Produce, see records in the lanes
// that Kafka's murmur2 partitioner picks, and the consumer's position advance.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, screenshot, murmur2, partitionForKey } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('produced keyed records land in their murmur2 lanes', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.waitForSelector('[data-partition="orders-0"]');
  assert.equal(await page.locator('svg.lane').count(), 3, 'three partition lanes');

  // The JavaScript port agrees with Kafka's own test vectors (UtilsTest.testMurmur2).
  assert.equal(murmur2('21'), -973932308);
  assert.equal(murmur2('foobar'), -790332482);
  assert.equal(murmur2('a-little-bit-longer-string'), -1486304829);

  const keys = ['foobar', 'customer-1', 'customer-2', 'customer-3', 'customer-4', 'foobar'];
  for (const key of keys) {
    await page.fill('#produce-key', key);
    await page.fill('#produce-value', `hello ${key}`);
    await page.click('#produce-button');
  }
  const lanesOf = async (key) => page.$$eval(`g.record[data-key="${key}"]`, (els) =>
    els.map((e) => e.closest('svg').dataset.partition));
  const used = new Set();
  for (const key of new Set(keys)) {
    const lanes = await lanesOf(key);
    const expected = `orders-${partitionForKey(key, 3)}`;
    assert.deepEqual(lanes, keys.filter((k) => k === key).map(() => expected), `records with key ${key}`);
    used.add(expected);
  }
  assert.equal(used.size, 3, 'the chosen keys cover all three lanes');
  const foobar = await lanesOf('foobar');

  // Offsets in a lane are dense from 0.
  const offsets = await page.$$eval(`svg[data-partition="${foobar[0]}"] g.record`, (els) => els.map((e) => Number(e.dataset.offset)));
  assert.deepEqual(offsets, offsets.map((_, i) => i));

  // The consumer reads them: its position reaches the log end offset.
  await page.waitForFunction((p) => {
    const lane = document.querySelector(`svg[data-partition="${p}"]`);
    const marker = lane?.querySelector('g.position');
    return marker && marker.dataset.position === lane.dataset.logEndOffset;
  }, foobar[0], { timeout: 15000 });
  await screenshot(page, 'skeleton-1280x720-light');
  assert.deepEqual(errors, []);
});

test('the page renders at projector size in dark mode', async () => {
  const { page, errors } = await openPage(browser, server.url, { width: 1920, height: 1080, colorScheme: 'dark' });
  await page.waitForSelector('[data-partition="orders-2"]');
  await page.fill('#produce-key', 'customer-7');
  await page.click('#produce-button');
  await page.waitForSelector('g.record[data-key="customer-7"]');
  await screenshot(page, 'skeleton-1920x1080-dark');
  assert.deepEqual(errors, []);
});
