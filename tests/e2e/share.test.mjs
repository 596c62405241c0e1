// Share groups (KIP-932) as a student sees them: in the "Queues for Kafka" lesson five share
// consumers hold records of one partition at once, each record in its holder's colour with a
// legible lock timer, the SPSO and SPEO labelled; a crashed member's record comes back as
// its second delivery; a poison record reaches its last try and is archived. The Share
// consumers form adds, crashes and stops share consumers, each echoed as its console line.
// A sandbox without share groups draws none of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, pause, runLineAndWait, screenshot } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const consoleText = (page) => page.$$eval('.scrollback pre', (els) => els.map((e) => e.textContent));

/** The chips of a share group's window on a lane: offset, state, holder, text, fill, box. */
const chips = (page, partition, group) => page.$$eval(
  `.lane[data-partition="${partition}"] .share-window[data-share-group="${group}"] .share-record`,
  (els) => els.map((e) => {
    const rect = e.querySelector('rect').getBoundingClientRect();
    const state = e.querySelector('.share-state');
    const count = e.querySelector('.share-count');
    return {
      offset: Number(e.dataset.offset), state: e.dataset.state, holder: e.dataset.holder ?? null,
      text: state.textContent, count: count?.textContent ?? null,
      fill: getComputedStyle(e.querySelector('rect')).fill,
      textPx: state.getBoundingClientRect().height,
      box: { x: rect.x, y: rect.y, w: rect.width, h: rect.height },
    };
  }));

/** Whether a box lies inside the viewport. */
const inView = (page, box) => {
  const { width, height } = page.viewportSize();
  return box.x >= 0 && box.y >= 0 && box.x + box.w <= width && box.y + box.h <= height;
};

test('five share consumers work on one partition at once; the consumer group beside it idles four', async () => {
  for (const [width, height] of [[1366, 768], [1280, 720], [1920, 1080]]) {
    const { page, errors } = await openPage(browser, `${server.url}?lesson=queues-for-kafka&step=2`, { width, height });
    await page.waitForSelector('section.lesson[data-lesson="queues-for-kafka"][data-step="1"]');
    await page.waitForSelector('.share-window[data-share-group="crew"]');
    const all = await chips(page, 'jobs-0', 'crew');
    const acquired = all.filter((c) => c.state === 'ACQUIRED');
    const holders = new Set(acquired.map((c) => c.holder));
    assert.equal(holders.size, 5, `five holders: ${JSON.stringify(acquired)}`);
    // Each acquired record is drawn in its holder's colour, the colour of its box's dot.
    for (const c of acquired) {
      const dot = await page.$eval(`.share-consumer[data-share-consumer="${c.holder}"] circle`, (e) => getComputedStyle(e).fill);
      assert.equal(c.fill, dot, `offset ${c.offset} is in ${c.holder}'s colour`);
      assert.match(c.text, /^\d+s$/, 'a lock timer in whole seconds');
      assert.ok(Number(c.text.slice(0, -1)) <= 30);
      assert.equal(c.count, '1/5');
      if (width === 1366) assert.ok(c.textPx >= 10, `the lock timer is legible: ${c.textPx}px`);
    }
    // The SPSO and SPEO are labelled with the window's offsets.
    const window = await page.$eval('.lane[data-partition="jobs-0"] .share-window', (e) => ({ spso: e.dataset.spso, speo: e.dataset.speo, labels: [...e.querySelectorAll('.share-label')].map((l) => l.textContent) }));
    assert.ok(window.labels.some((l) => l.includes(`SPSO ${window.spso}`)), JSON.stringify(window));
    assert.ok(window.labels.some((l) => l.includes(`SPEO ${window.speo}`)), JSON.stringify(window));
    // Five links from the one partition, one to each crew member, and the crew boxes say what they hold.
    assert.equal(await page.locator('path.link[data-link^="jobs-0>crew-"]').count(), 5);
    const statuses = await page.$$eval('.share-consumer', (els) => els.map((e) => e.dataset.status));
    assert.deepEqual(statuses, Array(5).fill('jobs-0 · holds 1'));
    // The consumer group beside it: one owner, four idle.
    assert.equal(await page.locator('.group[data-group="workers"] .consumer.idle').count(), 4);
    // The lane's share rows are on screen without scrolling the page.
    for (const c of acquired) assert.ok(inView(page, c.box), `offset ${c.offset} in view at ${width}x${height}: ${JSON.stringify(c.box)}`);
    await screenshot(page, `share-five-${width}x${height}`);
    assert.deepEqual(errors, []);
    await page.context().close();
  }
});

test('records finish out of order, a crash redelivers, a poison record is archived', async () => {
  const { page, errors } = await openPage(browser, `${server.url}?lesson=queues-for-kafka&step=3`, { width: 1366, height: 768, colorScheme: 'dark' });
  await page.waitForSelector('section.lesson[data-step="2"] ');
  await page.waitForSelector('.share-window[data-share-group="crew"]');
  let all = await chips(page, 'jobs-0', 'crew');
  const firstOpen = Math.min(...all.filter((c) => c.state === 'ACQUIRED').map((c) => c.offset));
  assert.ok(all.some((c) => c.state === 'ACKNOWLEDGED' && c.offset > firstOpen && c.text === '✓'), JSON.stringify(all));
  await screenshot(page, 'share-order-1366x768-dark');

  await page.click('#lesson-next');
  await page.waitForSelector('section.lesson[data-step="3"]');
  await page.waitForSelector('.share-record[data-deliveries="2"]');
  all = await chips(page, 'jobs-0', 'crew');
  const again = all.find((c) => c.count === '2/5');
  assert.ok(again && again.state === 'ACQUIRED' && again.holder !== 'crew-3', JSON.stringify(all));
  assert.match(await page.getAttribute('.share-consumer[data-share-consumer="crew-3"]', 'data-status'), /^crashed · out in \d+ s$/);
  await screenshot(page, 'share-crash-1366x768-dark');

  await page.click('#lesson-next');
  await page.waitForSelector('section.lesson[data-step="4"]');
  await page.waitForSelector('.lane[data-partition="invoices-0"] .share-record');
  const [poison] = await chips(page, 'invoices-0', 'billing');
  assert.equal(poison.count, '3/3');
  assert.equal(await page.getAttribute('.lane[data-partition="invoices-0"] .share-count', 'class'), 'share-count last-try');
  await page.click('section.lesson .choice[data-choice="0"]');
  await page.click('#lesson-next');
  await page.waitForSelector('section.lesson[data-step="5"]');
  await page.waitForSelector('.lane[data-partition="invoices-0"] .share-window[data-spso="1"]');
  assert.equal(await page.locator('.lane[data-partition="invoices-0"] .share-record').count(), 0, 'nothing in flight');
  assert.equal(await page.getAttribute('.lane[data-partition="dlq.invoices-0"]', 'data-log-end-offset'), '1');
  await screenshot(page, 'share-archived-1366x768-dark');
  assert.deepEqual(errors, []);
});

test('the share consumers form adds, crashes and stops, each echoed as its console line', async () => {
  const { page, errors } = await openPage(browser, server.url, { width: 1366, height: 768 });
  await pause(page);
  assert.equal(await page.locator('.share-window, .share-group').count(), 0, 'no share group, nothing of it drawn');
  await runLineAndWait(page, 'kafka-topics --create --topic tasks --partitions 1');
  await runLineAndWait(page, 'produce tasks t0 t1 t2 t3 --partition 0');
  await page.click('.share-form > summary');
  await page.fill('#share-group', 'team');
  await page.selectOption('#share-topic', 'tasks');
  await page.fill('#share-rate', '0.5');
  await page.fill('#share-fail-rate', '0.25');
  await page.click('#add-share-consumer');
  await page.fill('#share-fail-rate', '0');
  await page.click('#add-share-consumer');
  let lines = await consoleText(page);
  assert.ok(lines.includes('$ share-consumer start team-1 --group team --topic tasks --rate 0.5 --config share.acknowledgement.mode=explicit --fail-rate 0.25'), lines.join(' | '));
  assert.ok(lines.includes('$ share-consumer start team-2 --group team --topic tasks --rate 0.5'), lines.join(' | '));
  await page.waitForSelector('.share-group[data-share-group="team"] .share-consumer[data-share-consumer="team-2"]');
  await page.selectOption('#share-target', 'team-1');
  await page.click('#crash-share-consumer');
  await page.waitForSelector('.share-consumer[data-share-consumer="team-1"].crashed');
  await page.selectOption('#share-target', 'team-2');
  await page.click('#stop-share-consumer');
  await page.waitForSelector('.share-consumer[data-share-consumer="team-2"][data-status="stopped"]');
  lines = await consoleText(page);
  assert.ok(lines.includes('$ share-consumer crash team-1'));
  assert.ok(lines.includes('$ share-consumer stop team-2'));
  assert.deepEqual(errors, []);
});

test('a share consumer is selected by a click or Enter; the inspector shows what it holds and acts on it', async () => {
  for (const [width, height, colorScheme] of [[1366, 768, 'light'], [1366, 768, 'dark'], [1920, 1080, 'light'], [1920, 1080, 'dark']]) {
    const { page, errors } = await openPage(browser, server.url, { width, height, colorScheme });
    await pause(page);
    await runLineAndWait(page, 'kafka-topics --create --topic jobs --partitions 1');
    await runLineAndWait(page, 'kafka-configs --entity-type groups --entity-name crew --alter --add-config share.auto.offset.reset=earliest');
    await runLineAndWait(page, 'produce jobs j0 j1 j2 j3 --partition 0');
    await runLineAndWait(page, 'share-consumer start careful --group crew --topic jobs --rate 1 --config share.acknowledgement.mode=explicit');
    await runLineAndWait(page, 'share-consumer start lazy --group crew --topic jobs --rate 1');
    await runLineAndWait(page, 'clock advance 1500ms');
    await page.click('.share-consumer[data-share-consumer="careful"]');
    const details = '.inspector .share-consumer-details[data-share-consumer="careful"]';
    await page.waitForSelector(details);
    assert.equal(await page.textContent(`${details} [data-field="mode"]`), 'explicit');
    assert.equal(await page.textContent(`${details} [data-field="status"]`), 'running');
    assert.equal(await page.textContent(`${details} [data-field="partitions"]`), 'jobs-0');
    // careful fetched first and holds all four: first delivery, 30 s lock less 1.5 s.
    assert.equal(await page.getAttribute(`${details} [data-field="held"]`, 'data-count'), '4');
    const rows = await page.$$eval(`${details} tbody tr`, (els) => els.map((e) => [e.dataset.offset, e.querySelector('[data-field="delivery"]').textContent, e.querySelector('[data-field="lock"]').textContent]));
    assert.deepEqual(rows, [['0', '1', '28.5 s'], ['1', '1', '28.5 s'], ['2', '1', '28.5 s'], ['3', '1', '28.5 s']]);
    assert.ok(await page.$('.share-consumer[data-share-consumer="careful"].selected'), 'the box is drawn selected');
    await screenshot(page, `share-inspector-${width}x${height}-${colorScheme}`);
    // Enter on the other box selects it.
    await page.focus('.share-consumer[data-share-consumer="lazy"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.inspector .share-consumer-details[data-share-consumer="lazy"]');
    assert.equal(await page.textContent('.inspector [data-field="mode"]'), 'implicit');
    // Its actions are commands, echoed as console lines.
    await page.click('#share-inspect-stop');
    await page.waitForSelector('.inspector [data-field="status"]:text("stopped")');
    await page.click('#share-inspect-faster');
    await page.waitForSelector('.inspector [data-field="status"]:text("running")');
    await page.click('#share-inspect-crash');
    await page.waitForSelector('.inspector [data-field="status"]:text("crashed")');
    const lines = await consoleText(page);
    assert.ok(lines.includes('$ share-consumer stop lazy'), lines.join(' | '));
    assert.ok(lines.includes('$ share-consumer start lazy --group crew --topic jobs --rate 2'), lines.join(' | '));
    assert.ok(lines.includes('$ share-consumer crash lazy'), lines.join(' | '));
    assert.deepEqual(errors, []);
    await page.context().close();
  }
});

test('the inspector changes a running share consumer: its rate and failure rate, each echoed as share-consumer set', async () => {
  const { page, errors } = await openPage(browser, server.url, { width: 1366, height: 768 });
  await pause(page);
  await runLineAndWait(page, 'kafka-topics --create --topic jobs --partitions 1');
  await runLineAndWait(page, 'kafka-configs --entity-type groups --entity-name crew --alter --add-config share.auto.offset.reset=earliest');
  await runLineAndWait(page, 'records fill --topic jobs --count 100');
  await runLineAndWait(page, 'share-consumer start w --group crew --topic jobs --rate 1 --config share.acknowledgement.mode=explicit');
  await runLineAndWait(page, 'clock advance 2s');
  await page.click('.share-consumer[data-share-consumer="w"]');
  const details = '.inspector .share-consumer-details[data-share-consumer="w"]';
  await page.waitForSelector(details);
  const processed = async () => Number(await page.textContent(`${details} [data-field="processed"]`));
  await runLineAndWait(page, 'clock advance 2s');
  const atOne = await processed();
  await runLineAndWait(page, 'clock advance 2s');
  const slowGain = (await processed()) - atOne;
  // Three clicks: 2, 4, 8 records/s.
  for (const rate of ['2', '4', '8']) {
    await page.click('#share-inspect-set-faster');
    await page.waitForSelector(`${details} [data-field="rate"]:text("${rate} records/s")`);
  }
  const before = await processed();
  await runLineAndWait(page, 'clock advance 2s');
  const fastGain = (await processed()) - before;
  assert.ok(slowGain <= 3 && fastGain >= 12, `2 s at 1 record/s: ${slowGain}; 2 s at 8: ${fastGain}`);
  await page.click('#share-inspect-set-fail');
  await page.waitForSelector(`${details} [data-field="fail"]:text("0.2 released, 0 rejected")`);
  const lines = await consoleText(page);
  for (const line of ['$ share-consumer set w rate=2', '$ share-consumer set w rate=4', '$ share-consumer set w rate=8', '$ share-consumer set w fail-rate=0.2']) {
    assert.ok(lines.includes(line), `${line} in ${lines.join(' | ')}`);
  }
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a share group whose members read different topics is drawn on each topic it reads', async () => {
  const { page, errors } = await openPage(browser, server.url, { width: 1366, height: 768 });
  await pause(page);
  await runLineAndWait(page, 'kafka-topics --create --topic jobs --partitions 1');
  await runLineAndWait(page, 'kafka-topics --create --topic mail --partitions 1');
  await runLineAndWait(page, 'kafka-configs --entity-type groups --entity-name crew --alter --add-config share.auto.offset.reset=earliest');
  await runLineAndWait(page, 'produce jobs j0 j1 --partition 0');
  await runLineAndWait(page, 'produce mail m0 m1 --partition 0');
  await runLineAndWait(page, 'share-consumer start a --group crew --topic jobs --rate 0.1');
  await runLineAndWait(page, 'share-consumer start b --group crew --topic mail --rate 0.1');
  await runLineAndWait(page, 'clock advance 1s');
  const jobs = await chips(page, 'jobs-0', 'crew');
  const mail = await chips(page, 'mail-0', 'crew');
  assert.deepEqual(jobs.map((c) => [c.offset, c.state, c.holder]), [[0, 'ACQUIRED', 'a'], [1, 'ACQUIRED', 'a']]);
  assert.deepEqual(mail.map((c) => [c.offset, c.state, c.holder]), [[0, 'ACQUIRED', 'b'], [1, 'ACQUIRED', 'b']]);
  const lines = (await consoleText(page)).join('\n');
  assert.ok(!lines.includes('Error'), lines);
  await runLineAndWait(page, 'kafka-share-groups --describe --group crew --members');
  const described = (await consoleText(page)).join('\n');
  assert.match(described, /crew +\S+ +\/127\.0\.0\.1 +a +1 +jobs:0/);
  assert.match(described, /crew +\S+ +\/127\.0\.0\.1 +b +1 +mail:0/);
  assert.deepEqual(errors, []);
  await page.context().close();
});
