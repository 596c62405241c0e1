// The online upgrade of a classic group (KIP-848 migration) as a class sees it: a classic
// member and a consumer-protocol member in one consumer group, the classic one labelled as
// such in the reconcile diagram, each reading half; screenshots at 1366x768 and 1920x1080,
// light and dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, screenshot, pause, runLineAndWait } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const LINES = [
  'kafka-topics --create --topic upgrades --partitions 2',
  'consumer start k1 --group upgrading --topic upgrades',
  'clock advance 8s',
  'consumer start c1 --group upgrading --topic upgrades --config group.protocol=consumer',
  'clock advance 10s',
];

for (const [width, height, colorScheme] of [[1366, 768, 'light'], [1366, 768, 'dark'], [1920, 1080, 'light'], [1920, 1080, 'dark']]) {
  test(`a classic member of an upgraded group is drawn as one (${width}x${height} ${colorScheme})`, async () => {
    const { page, errors } = await openPage(browser, server.url, { width, height, colorScheme });
    await pause(page);
    for (const line of LINES) await runLineAndWait(page, line);
    const k1 = page.locator('g.consumer[data-consumer="k1"]');
    await k1.waitFor();
    assert.equal(await k1.getAttribute('data-protocol'), 'classic');
    assert.equal(await k1.getAttribute('data-owned'), 'upgrades-0');
    assert.match(await k1.getAttribute('aria-label'), /classic member/);
    const c1 = page.locator('g.consumer[data-consumer="c1"]');
    assert.equal(await c1.getAttribute('data-protocol'), 'consumer');
    assert.equal(await c1.getAttribute('data-owned'), 'upgrades-1');
    assert.equal(await k1.locator('.epoch848').textContent(), 'classic · epoch 2');
    assert.equal(await c1.locator('.epoch848').textContent(), 'epoch 2');
    await screenshot(page, `upgrade-${width}x${height}-${colorScheme}`);
    assert.deepEqual(errors, []);
  });
}
