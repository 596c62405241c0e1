// Brokers (issue 12), as a class sees them: with one broker nothing of a cluster is drawn;
// with three, a column of labelled broker boxes and, under every lane, its replicas with the
// leader framed; a crashed broker greys out and the leadership of its partitions moves to
// another broker's chip; records above the high watermark are drawn apart from readable
// ones; the inspector's broker buttons and the produce form's acks are echoed as console
// commands; three topics of six partitions at replication factor 3 stay legible; the
// Durability lesson plays. Screenshots go to target/screenshots/ (brokers-*).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, pause, runLineAndWait, screenshot, answerTask } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** The console lines a click stood for, in order. */
const echoed = (page) => page.$$eval('.scrollback pre.in', (els) => els.map((e) => e.textContent.replace(/^\S*\$\s*/, '').trim()));

/** Each lane's replicas: the leader, and each chip's broker, state and whether it is framed. */
const replicas = (page) => page.$$eval('.lane-replicas', (lanes) => lanes.map((lane) => {
  const mark = lane.querySelector('.leader-mark rect').getBoundingClientRect();
  return {
    partition: lane.dataset.partition,
    leader: lane.dataset.leader,
    hw: Number(lane.dataset.highWatermark),
    chips: [...lane.querySelectorAll('.replica')].map((c) => {
      const r = c.querySelector('rect').getBoundingClientRect();
      const inside = r.left >= mark.left - 1 && r.right <= mark.right + 1 && r.top >= mark.top - 1 && r.bottom <= mark.bottom + 1;
      return { broker: c.dataset.replica, state: c.dataset.state, leader: c.dataset.leader === 'true', framed: inside, text: c.textContent };
    }),
  };
}));

/** Three brokers and the sandbox's topic made again at replication factor 3. */
async function threeBrokers(page) {
  await pause(page);
  await runLineAndWait(page, 'kafka-topics --delete --topic orders');
  await runLineAndWait(page, 'broker add');
  await runLineAndWait(page, 'broker add');
  await runLineAndWait(page, 'kafka-topics --create --topic orders --partitions 3 --replication-factor 3');
  await runLineAndWait(page, 'produce orders a b c d e f');
  await runLineAndWait(page, 'clock advance 1s');
}

test('one broker draws no cluster; three brokers draw boxes and replicas, and a crash moves the leaders', async () => {
  const { page, errors, context } = await openPage(browser, server.url, { width: 1366, height: 768 });
  await pause(page);
  // The sandbox opens on one broker with the topic orders (3 partitions).
  await page.waitForSelector('.lane[data-partition="orders-2"]');
  assert.equal(await page.$$eval('.broker, .lane-replicas, .above-hw, #produce-acks', (els) => els.length), 0, 'one broker: nothing of a cluster');

  await threeBrokers(page);
  await page.waitForSelector('.broker[data-broker="3"]');
  const boxes = await page.$$eval('.broker', (els) => els.map((e) => ({ id: e.dataset.broker, text: e.textContent, h: e.getBoundingClientRect().height, top: e.getBoundingClientRect().top })));
  assert.deepEqual(boxes.map((b) => b.id), ['1', '2', '3']);
  for (const b of boxes) {
    assert.match(b.text, new RegExp(`Broker ${b.id}`));
    assert.match(b.text, /up · leads 1/);
    assert.ok(b.h > 20 && b.top < 768, `broker ${b.id} visible`);
  }
  let lanes = await replicas(page);
  assert.equal(lanes.length, 3);
  for (const lane of lanes) {
    assert.equal(lane.chips.length, 3, `${lane.partition} has three replicas`);
    assert.ok(lane.chips.every((c) => c.state === 'in-sync'), `${lane.partition} all in sync`);
    const framed = lane.chips.filter((c) => c.framed).map((c) => c.broker);
    assert.deepEqual(framed, [lane.leader], `${lane.partition}: the frame is on the leader's chip`);
    assert.match(lane.chips.find((c) => c.leader).text, /★/);
  }
  await screenshot(page, 'brokers-three-1366-light');
  const led = lanes.filter((l) => l.leader === '2').map((l) => l.partition);
  assert.ok(led.length > 0, 'broker 2 leads a partition');

  await runLineAndWait(page, 'broker crash 2');
  await page.waitForSelector('.broker[data-broker="2"].crashed');
  // The box fades over 0.4 s (a CSS transition): wait for it to be grey.
  const greyed = await page.waitForFunction(() => Number(getComputedStyle(document.querySelector('.broker[data-broker="2"]')).opacity) < 0.7, null, { timeout: 3000 })
    .then(() => true, () => false);
  const opacity = await page.$eval('.broker[data-broker="2"]', (e) => Number(getComputedStyle(e).opacity));
  assert.ok(greyed, `a crashed broker is greyed (opacity ${opacity})`);
  assert.match(await page.$eval('.broker[data-broker="2"]', (e) => e.textContent), /crashed/);
  await runLineAndWait(page, 'clock advance 12s');
  await page.waitForSelector('.broker[data-broker="2"].fenced');
  // The frame travels (a CSS transition): wait until it has arrived.
  await page.waitForTimeout(1200);
  lanes = await replicas(page);
  for (const partition of led) {
    const lane = lanes.find((l) => l.partition === partition);
    assert.ok(lane.leader && lane.leader !== '2', `${partition} has a new leader (${lane.leader})`);
    assert.deepEqual(lane.chips.filter((c) => c.framed).map((c) => c.broker), [lane.leader], `${partition}: the frame moved to broker ${lane.leader}`);
    assert.equal(lane.chips.find((c) => c.broker === '2').state, 'offline');
  }
  await screenshot(page, 'brokers-crash-1366-light');
  assert.deepEqual(errors, []);
  await context.close();
});

test('records above the high watermark are drawn apart from readable ones', async () => {
  const { page, errors, context } = await openPage(browser, server.url, { width: 1920, height: 1080 });
  await threeBrokers(page);
  // Paused: the followers have not fetched yet, so the new records sit above the HW.
  await runLineAndWait(page, 'produce orders g h i --partition 0');
  await page.waitForSelector('.lane[data-partition="orders-0"] .above-hw');
  const m = await page.$eval('.lane[data-partition="orders-0"]', (lane) => {
    const r = lane.querySelector('.lane-replicas');
    const hatch = lane.querySelector('.above-hw-hatch').getBoundingClientRect();
    const cells = [...lane.querySelectorAll('.record')].map((c) => {
      const b = c.querySelector('rect').getBoundingClientRect();
      return { offset: Number(c.dataset.offset), covered: b.left >= hatch.left - 3 && b.right <= hatch.right + 3 };
    });
    return { hw: Number(r.dataset.highWatermark), above: Number(lane.querySelector('.above-hw').dataset.aboveHw), cells,
      label: lane.querySelector('.above-hw-label')?.textContent, note: lane.querySelector('.replica-note').textContent };
  });
  assert.ok(m.above >= 3, `three records or more above the HW (${m.above})`);
  for (const c of m.cells) {
    assert.equal(c.covered, c.offset >= m.hw, `offset ${c.offset} (HW ${m.hw}) ${c.offset >= m.hw ? 'is' : 'is not'} drawn as not yet readable`);
  }
  assert.equal(m.label, 'above HW');
  assert.match(m.note, /not yet readable/);
  await screenshot(page, 'brokers-above-hw-1920-light');
  // One tick later the followers have them and the HW has caught up.
  await runLineAndWait(page, 'clock advance 1s');
  await page.waitForFunction(() => !document.querySelector('.lane[data-partition="orders-0"] .above-hw'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('the inspector acts on a broker and the produce form sends with the acks chosen, each echoed as its command', async () => {
  const { page, errors, context } = await openPage(browser, server.url, { width: 1366, height: 768 });
  await threeBrokers(page);
  await page.click('.broker[data-broker="3"]');
  await page.waitForSelector('.inspector h2:has-text("Broker 3")');
  await page.click('#broker-slow');
  await page.waitForSelector('.broker[data-broker="3"].slow');
  assert.match(await page.$eval('.broker[data-broker="3"]', (e) => e.textContent), /slow ÷2/);
  await page.click('#broker-normal');
  await page.click('#broker-stop');
  await page.waitForSelector('.broker[data-broker="3"].stopped');
  await page.click('#broker-start');
  await page.waitForSelector('.broker[data-broker="3"].up');
  await page.click('#broker-crash');
  await page.waitForSelector('.broker[data-broker="3"].crashed');
  await page.click('#broker-add');
  await page.waitForSelector('.broker[data-broker="4"]');
  await page.click('#add-broker');
  await page.waitForSelector('.broker[data-broker="5"]');
  await page.selectOption('#produce-acks', '1');
  await page.fill('#produce-value', 'paid');
  await page.click('#produce-button');
  await page.waitForFunction(() => [...document.querySelectorAll('.scrollback pre.in')].some((e) => e.textContent.includes('produce orders paid')));
  const lines = await echoed(page);
  for (const line of ['broker slow 3 2', 'broker slow 3 1', 'broker stop 3', 'broker start 3', 'broker crash 3', 'broker add']) {
    assert.ok(lines.some((l) => l.endsWith(line)), `echoed: ${line} (in ${JSON.stringify(lines.slice(-12))})`);
  }
  // The form's producer (the sandbox's checkout) switches to acks=1 before it sends.
  const acks = lines.findIndex((l) => /producer acks checkout 1$/.test(l));
  assert.ok(acks >= 0 && lines[acks + 1].endsWith('produce orders paid --producer checkout'), JSON.stringify(lines.slice(-3)));
  assert.deepEqual(errors, []);
  await context.close();
});

test('three brokers × three topics × six partitions at replication factor 3 stay legible', async () => {
  for (const [width, height] of [[1920, 1080], [1366, 768]]) {
    const { page, errors, context } = await openPage(browser, server.url, { width, height, colorScheme: width === 1366 ? 'dark' : 'light' });
    await pause(page);
    await runLineAndWait(page, 'kafka-topics --delete --topic orders');
    await runLineAndWait(page, 'broker add');
    await runLineAndWait(page, 'broker add');
    for (const t of ['orders', 'payments', 'shipments']) {
      await runLineAndWait(page, `kafka-topics --create --topic ${t} --partitions 6 --replication-factor 3`);
    }
    await runLineAndWait(page, 'broker crash 3');
    await runLineAndWait(page, 'clock advance 12s');
    await page.waitForSelector('.broker[data-broker="3"].fenced');
    const m = await page.evaluate(() => {
      const svg = document.querySelector('svg.diagram');
      const scale = svg.getScreenCTM().a;
      const px = (sel) => Math.min(...[...svg.querySelectorAll(sel)].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale));
      const onScreen = (sel) => [...svg.querySelectorAll(sel)].every((e) => { const r = e.getBoundingClientRect(); return r.bottom <= innerHeight && r.right <= innerWidth && r.width > 0; });
      return {
        thin: svg.querySelectorAll('.thin-replicas').length,
        boxes: svg.querySelectorAll('.thin-replicas .replica').length,
        offline: svg.querySelectorAll('.thin-replicas .replica.offline').length,
        ledByThree: svg.querySelectorAll('.thin-replicas[data-leader="3"]').length,
        replicaText: px('.thin-replica-text'), brokerText: px('.broker .meta'),
        brokersOnScreen: onScreen('.broker'), replicasOnScreen: onScreen('.thin-replicas .replica'),
      };
    });
    assert.equal(m.thin, 18);
    assert.equal(m.boxes, 54, 'every replica is drawn');
    assert.equal(m.offline, 18, 'broker 3 holds a replica of every partition, all offline');
    assert.equal(m.ledByThree, 0, 'broker 3 leads nothing');
    assert.ok(m.brokersOnScreen && m.replicasOnScreen, 'brokers and replicas on screen without scrolling the page');
    assert.ok(m.replicaText >= 10 && m.brokerText >= 10, `text at least 10 px (replicas ${m.replicaText.toFixed(1)}, brokers ${m.brokerText.toFixed(1)})`);
    await screenshot(page, `brokers-scale-${width}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('the Durability lesson plays: acks=1 loses, acks=all refuses, unclean trades', async () => {
  for (const [width, height] of [[1366, 768], [1920, 1080]]) {
    const { page, errors, context } = await openPage(browser, `${server.url}?lesson=durability`, { width, height, lessons: true });
    await page.waitForSelector('section.lesson[data-lesson="durability"][data-step="0"]');
    for (let step = 0; ; step++) {
      await page.waitForSelector(`section.lesson[data-step="${step}"]`);
      if (step === 1) {
        await page.waitForSelector('.lane[data-partition="payments-0"] .above-hw[data-above-hw="3"]');
      }
      if (step === 2) {
        await page.waitForSelector('.broker[data-broker="1"].fenced');
        await page.waitForSelector('.lane-replicas[data-partition="payments-0"][data-leader="2"]');
        assert.equal(await page.getAttribute('.lane[data-partition="payments-0"]', 'data-log-end-offset'), '3');
      }
      if (step === 5) {
        // l-3 was refused with NOT_ENOUGH_REPLICAS, which is retriable: it waits in the shop.
        await page.waitForSelector('.producer[data-producer="shop"].waiting');
        assert.match(await page.textContent('.producer[data-producer="shop"] .meta'), /^1 waiting · \d+ s left$/);
      }
      if (step === 6) {
        await page.waitForSelector('.lane-replicas[data-partition="clicks-0"][data-leader=""]');
      }
      if (step === 7) {
        await page.waitForSelector('.lane-replicas[data-partition="clicks-0"][data-leader="1"]');
      }
      await answerTask(page, { choice: 1 });
      await page.waitForTimeout(900);
      await screenshot(page, `brokers-lesson-${width}-step-${step + 1}`);
      if (await page.isDisabled('#lesson-next')) break;
      await page.click('#lesson-next');
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('the topics form asks for a replication factor once there are brokers, echoes it and shows Kafka\'s refusal', async () => {
  const { page, errors, context } = await openPage(browser, server.url, { width: 1366, height: 768 });
  await pause(page);
  assert.equal(await page.$$eval('#topic-replication-factor', (els) => els.length), 0, 'one broker: no replication factor field');
  await runLineAndWait(page, 'broker add');
  await runLineAndWait(page, 'broker add');
  await page.waitForSelector('#topic-replication-factor');
  assert.equal(await page.$eval('#topic-replication-factor', (e) => e.value), '3', 'defaults to the brokers (at most 3)');
  await page.fill('#topic-name', 'payments');
  await page.fill('#topic-partitions', '2');
  await page.fill('#topic-replication-factor', '2');
  await page.click('#create-topic');
  await page.waitForSelector('.lane[data-partition="payments-1"] .lane-replicas');
  let lines = await echoed(page);
  assert.equal(lines.at(-1), 'kafka-topics --bootstrap-server localhost:9092 --create --topic payments --partitions 2 --replication-factor 2');
  const chips = await page.$$eval('.lane[data-partition="payments-0"] .replica', (els) => els.length);
  assert.equal(chips, 2, 'two replicas drawn for replication factor 2');

  await page.fill('#topic-name', 'audit');
  await page.fill('#topic-replication-factor', '5');
  await page.click('#create-topic');
  await page.waitForFunction(() => [...document.querySelectorAll('.scrollback pre.out')].some((e) => /target replication factor of 5 cannot be reached because only 3 broker/.test(e.textContent)), null, { timeout: 5000 });
  lines = await echoed(page);
  assert.equal(lines.at(-1), 'kafka-topics --bootstrap-server localhost:9092 --create --topic audit --partitions 2 --replication-factor 5');
  assert.equal(await page.$$eval('.lane[data-partition="audit-0"]', (els) => els.length), 0, 'no topic made');
  await screenshot(page, 'brokers-rf-form-1366-light');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a crashed broker started before its fence says it is restarting, and registers once its old session expires', async () => {
  const { page, errors, context } = await openPage(browser, server.url, { width: 1280, height: 720 });
  await threeBrokers(page);
  await page.click('.broker[data-broker="3"]');
  await page.waitForSelector('.inspector h2:has-text("Broker 3")');
  await page.click('#broker-crash');
  await page.waitForSelector('.broker[data-broker="3"].crashed');
  await page.click('#broker-start');
  await page.waitForSelector('.broker[data-broker="3"].registering');
  const box = await page.$eval('.broker[data-broker="3"]', (e) => ({ text: e.textContent, r: e.getBoundingClientRect().toJSON() }));
  assert.match(box.text, /restarting…/);
  assert.ok(box.r.bottom <= 720 && box.r.top >= 0, 'the broker box is on screen');
  assert.match(await page.$eval('[data-field="broker-state"]', (e) => e.textContent), /waits until the controller expires its old session/);
  const said = await page.$$eval('.scrollback pre', (els) => els.map((e) => e.textContent).join('\n'));
  assert.match(said, /registration is refused \(DuplicateBrokerRegistrationException/);
  // Still restarting just before the 9 s session ends, up once it has.
  await runLineAndWait(page, 'clock advance 8s');
  assert.ok(await page.$('.broker[data-broker="3"].registering'), 'still registering before the session expires');
  await runLineAndWait(page, 'clock advance 2s');
  await page.waitForSelector('.broker[data-broker="3"].up');
  await screenshot(page, 'brokers-restart-registered-1280-light');
  assert.deepEqual(errors, []);
  await context.close();
});
