// The app as a user meets it: produce keyed records, type Kafka commands into the console,
// add consumers until some are idle, stop one and watch the rebalance, rewind a reader,
// step back and forward. Screenshots go to target/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, screenshot, murmur2, partitionForKey, pause, runLine } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const fast = async (page) => page.selectOption('#speed', { label: '50×' });

test('keyed records land in the lanes Kafka\'s murmur2 partitioner picks', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.waitForSelector('[data-partition="orders-2"]');
  await pause(page);
  // The JavaScript port agrees with Kafka's own test vectors (UtilsTest.testMurmur2).
  assert.equal(murmur2('21'), -973932308);
  assert.equal(murmur2('foobar'), -790332482);
  const keys = ['foobar', 'dave', 'carol', 'foobar'];
  for (const key of keys) {
    await page.fill('#produce-key', key);
    await page.fill('#produce-value', `hello ${key}`);
    await page.click('#produce-button');
  }
  const lanes = new Set();
  for (const key of new Set(keys)) {
    const got = await page.$$eval(`g.record[data-key="${key}"]`, (els) => els.map((e) => e.closest('[data-partition]').dataset.partition));
    const expected = `orders-${partitionForKey(key, 3)}`;
    assert.deepEqual(got, keys.filter((k) => k === key).map(() => expected), `records with key ${key}`);
    lanes.add(expected);
  }
  assert.equal(lanes.size, 3, 'the chosen keys cover all three lanes');
  await screenshot(page, 'produce-1280x720-light');
  assert.deepEqual(errors, []);
});

test('typing Kafka commands in the console changes the diagram', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.waitForSelector('#console-input');
  await runLine(page, 'kafka-topics --bootstrap-server localhost:9092 --create --topic payments --partitions 2');
  await page.waitForSelector('.scrollback pre.out:has-text("Created topic payments.")');
  await page.waitForSelector('[data-topic="payments"] [data-partition="payments-1"]');
  await runLine(page, 'kafka-topics --list');
  await page.waitForFunction(() => [...document.querySelectorAll('.scrollback pre.out')].some((p) => p.textContent === 'orders\npayments'));
  // Tab completion of a tool name.
  await page.fill('#console-input', 'kafka-consumer-gr');
  await page.press('#console-input', 'Tab');
  assert.match(await page.inputValue('#console-input'), /^kafka-consumer-groups/);
  await page.fill('#console-input', '');
  // History: the up arrow recalls the last line.
  await page.press('#console-input', 'ArrowUp');
  assert.equal(await page.inputValue('#console-input'), 'kafka-topics --list');
  await page.waitForSelector('g.group[data-group="payment"][data-state="Stable"]', { timeout: 30000 });
  await runLine(page, 'kafka-consumer-groups --describe --group payment');
  await page.waitForSelector('.scrollback pre.out:has-text("CURRENT-OFFSET")');
  await screenshot(page, 'console-1280x720-light');
  assert.deepEqual(errors, []);
});

test('five consumers on three partitions: two idle; stopping one rebalances', async () => {
  const { page, errors } = await openPage(browser, server.url, { width: 1920, height: 1080 });
  await page.waitForSelector('#console-input');
  await fast(page);
  await runLine(page, 'kafka-topics --create --topic events --partitions 3');
  await page.waitForSelector('[data-partition="events-2"]');
  await page.selectOption('#produce-topic', 'events');
  await page.fill('#consumer-group', 'workers');
  for (let i = 0; i < 5; i++) await page.click('#add-consumer');
  // Every click prints the command it stands for, so students learn the commands.
  await page.waitForFunction(() => [...document.querySelectorAll('.scrollback pre.in')].some((p) => p.textContent.startsWith('$ consumer start workers-5 --group workers --topic events')));
  const stable = 'g.group[data-group="workers"][data-state="Stable"]';
  // Settled: Stable, five members, none joining or syncing, and every partition owned (a
  // generation's followers apply their assignment a moment after the group turns Stable).
  await page.waitForFunction(() => {
    const members = [...document.querySelectorAll('g.group[data-group="workers"] g.consumer')];
    const owned = new Set(members.flatMap((m) => m.dataset.owned.split(',').filter(Boolean)));
    return document.querySelector('g.group[data-group="workers"][data-state="Stable"]') && members.length === 5
      && members.every((m) => !m.dataset.status.includes('…')) && owned.size === 3;
  }, null, { timeout: 30000 });
  const owned = await page.$$eval('g.group[data-group="workers"] g.consumer', (els) => els.map((e) => e.dataset.owned));
  assert.equal(owned.filter((o) => o === '').length, 2, `two idle consumers: ${JSON.stringify(owned)}`);
  assert.equal(owned.filter((o) => o !== '').length, 3);
  await screenshot(page, 'five-consumers-1920x1080-light');

  const generation = Number(await page.getAttribute('g.group[data-group="workers"]', 'data-generation'));
  // Stop a consumer that owns a partition: its partition moves to an idle one.
  const busy = await page.$$eval('g.group[data-group="workers"] g.consumer', (els) => els.find((e) => e.dataset.owned !== '').dataset.consumer);
  await page.click(`g.consumer[data-consumer="${busy}"]`);
  await page.click('#consumer-stop');
  await page.waitForFunction((g) => {
    const el = document.querySelector('g.group[data-group="workers"]');
    const members = [...el.querySelectorAll('g.consumer')].filter((m) => m.dataset.status !== 'stopped');
    return el.dataset.state === 'Stable' && Number(el.dataset.generation) > g
      && members.filter((m) => m.dataset.owned !== '').length === 3;
  }, generation, { timeout: 30000 });
  await page.waitForSelector(stable);
  await screenshot(page, 'after-stop-1920x1080-light');
  assert.deepEqual(errors, []);
});

test('rewinding a reader replays history; step back and forward restore the picture', async () => {
  const { page, errors } = await openPage(browser, server.url, { colorScheme: 'dark' });
  await page.waitForSelector('[data-consumer="analytics-1"]');
  await fast(page);
  // Wait until analytics-1 has read something on orders-1.
  await page.waitForFunction(() => Number(document.querySelector('[data-partition="orders-1"] [data-consumer="analytics-1"]')?.dataset.position) >= 3, null, { timeout: 30000 });
  await pause(page);
  await page.click('g.consumer[data-consumer="analytics-1"]');
  await page.click('#consumer-rewind');
  const position = await page.getAttribute('[data-partition="orders-1"] [data-consumer="analytics-1"]', 'data-position');
  const start = await page.getAttribute('[data-partition="orders-1"]', 'data-log-start-offset');
  assert.equal(position, start, 'the reader is back at the log start');
  // Seek one partition to an offset with the inspector's form.
  await page.selectOption('#seek-partition', 'orders-1');
  await page.fill('#seek-offset', '2');
  await page.click('#consumer-seek');
  assert.equal(await page.getAttribute('[data-partition="orders-1"] [data-consumer="analytics-1"]', 'data-position'), '2');
  await page.waitForFunction(() => [...document.querySelectorAll('.scrollback pre.in')].some((p) => p.textContent.includes('consumer seek analytics-1 --partition orders:1 --to-offset 2')));
  await screenshot(page, 'rewind-1280x720-dark');
  // Keyboard: a consumer on the diagram can be focused and selected without a mouse.
  await page.focus('g.consumer[data-consumer="payment-1"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.inspector h2:has-text("Consumer payment-1")');

  const step = Number(await page.getAttribute('.clock', 'data-step'));
  const tickAt = async () => page.getAttribute('.clock', 'data-tick');
  for (let i = 0; i < 3; i++) await page.click('#step-forward');
  const forwardTick = await tickAt();
  const forwardPicture = await page.$eval('svg.diagram', (svg) => svg.outerHTML);
  await page.click('#step-back');
  await page.click('#step-back');
  await page.click('#step-back');
  assert.equal(Number(await page.getAttribute('.clock', 'data-step')), step);
  for (let i = 0; i < 3; i++) await page.click('#step-forward');
  assert.equal(await tickAt(), forwardTick);
  assert.equal(await page.$eval('svg.diagram', (svg) => svg.outerHTML), forwardPicture, 'the same picture after back and forward');
  // Keyboard: space plays, and the left arrow steps back (and pauses).
  await page.keyboard.press('ArrowLeft');
  assert.equal(Number(await page.getAttribute('.clock', 'data-step')), step + 2);
  assert.deepEqual(errors, []);
});

test('retention deletes old records visibly; presenter mode at projector size', async () => {
  const { page, errors } = await openPage(browser, server.url, { width: 1920, height: 1080, colorScheme: 'dark' });
  await page.waitForSelector('#console-input');
  await pause(page);
  await runLine(page, 'kafka-configs --bootstrap-server localhost:9092 --alter --entity-type topics --entity-name orders --add-config retention.ms=1000,segment.bytes=300');
  await page.waitForFunction(() => [...document.querySelectorAll('.scrollback pre.out')].some((p) => p.textContent.includes('Completed updating config for topic orders.')));
  await runLine(page, 'clock advance 20s');
  await runLine(page, 'retention run --topic orders');
  await page.waitForSelector('.removed-note');
  const starts = await page.$$eval('g.lane[data-partition^="orders-"]', (els) => els.map((e) => Number(e.dataset.logStartOffset)));
  assert.ok(starts.some((s) => s > 0), `some log start offset moved forward: ${starts}`);
  await page.click('#presenter');
  await page.waitForSelector('.app.presenter');
  await screenshot(page, 'presenter-retention-1920x1080-dark');
  assert.deepEqual(errors, []);
});

test('the main controls work by touch', async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true, isMobile: false });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url);
  await page.waitForSelector('#open-sandbox');
  await page.tap('#open-sandbox');
  await page.waitForSelector('[data-partition="orders-0"]');
  await page.tap('#play');
  assert.match(await page.getAttribute('#play', 'aria-label'), /^Play/, 'a tap paused playback');
  const step = Number(await page.getAttribute('.clock', 'data-step'));
  await page.tap('#step-back');
  assert.equal(Number(await page.getAttribute('.clock', 'data-step')), step - 1);
  await page.tap('#step-forward');
  assert.equal(Number(await page.getAttribute('.clock', 'data-step')), step);
  await page.tap('g.consumer[data-consumer="payment-1"]');
  await page.waitForSelector('.inspector h2:has-text("Consumer payment-1")');
  await page.tap('#produce-button');
  assert.deepEqual(errors, []);
  await context.close();
});
