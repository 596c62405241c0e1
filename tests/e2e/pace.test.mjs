// Every reader's pace on the diagram: under each lane, per reader, where it has fetched to
// (┃, its position), where its application has processed to (▲) and where its group has
// committed (▼), each at the record it names and with its own label; labels never overlap
// and stay inside their lane; a lane keeps the readers that matter in view. Screenshots go to
// target/screenshots/ (pace-*).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, screenshot as shoot, pause, play, runLineAndWait as runLine } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** A screenshot with the diagram scrolled into view (typing in the console scrolls the page). */
const screenshot = async (page, name) => {
  await page.evaluate(() => document.querySelector('svg.diagram')?.scrollIntoView({ block: 'start' }));
  return shoot(page, name);
};
/** Waits for CSS transitions of markers (0.35 s) to end. */
const settle = (page) => page.waitForTimeout(500);

/** A reader's track on a lane: its offsets as data and its marks' and label's boxes on screen. */
async function track(page, partition, name) {
  return page.$eval(`[data-partition="${partition}"] g.track[data-track="${name}"]`, (el) => {
    const box = (e) => { if (!e) return null; const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height, cx: r.x + r.width / 2 }; };
    const mark = (kind) => { const m = el.querySelector(`.mark.${kind}`); return m ? { offset: Number(m.dataset.offset), ...box(m) } : null; };
    const label = el.querySelector('.marker-label');
    return {
      fetched: mark('fetched'), processed: mark('processed'), committed: mark('committed'),
      label: label.textContent, labelBox: box(label),
    };
  });
}

/** The left edge of a record cell on screen, if it is drawn. */
async function cellLeft(page, partition, offset) {
  return page.evaluate(([p, o]) => {
    const rect = document.querySelector(`[data-partition="${p}"] g.record[data-offset="${o}"] rect`);
    return rect ? rect.getBoundingClientRect().x : null;
  }, [partition, offset]);
}

/** Every label box on the diagram, with its lane's box: none overlaps another or leaves its lane. */
async function assertLabelsLegible(page, where) {
  const labels = await page.$$eval('g.lane', (lanes) => lanes.flatMap((lane) => {
    const bg = lane.querySelector('.lane-bg').getBoundingClientRect();
    return [...lane.querySelectorAll('.marker-label')].map((t) => {
      const r = t.getBoundingClientRect();
      return { text: t.textContent, lane: lane.dataset.partition, x: r.x, y: r.y, r: r.right, b: r.bottom, lx: bg.x, ly: bg.y, lr: bg.right, lb: bg.bottom };
    });
  }));
  for (const l of labels) {
    assert.ok(l.x >= l.lx - 0.5 && l.r <= l.lr + 0.5, `${where}: label "${l.text}" stays inside lane ${l.lane} horizontally (${l.x}..${l.r} in ${l.lx}..${l.lr})`);
    assert.ok(l.y >= l.ly - 0.5 && l.b <= l.lb + 0.5, `${where}: label "${l.text}" stays inside lane ${l.lane} vertically`);
  }
  // A label never covers a mark of its own track (each names what the marks show).
  const covered = await page.$$eval('g.track', (tracks) => tracks.flatMap((t) => {
    const l = t.querySelector('.marker-label').getBoundingClientRect();
    return [...t.querySelectorAll('.mark')].map((m) => m.getBoundingClientRect())
      .filter((m) => m.x < l.right - 1 && l.x < m.right - 1 && m.y < l.bottom - 1 && l.y < m.bottom - 1)
      .map(() => `${t.dataset.track}: "${t.querySelector('.marker-label').textContent}"`);
  }));
  assert.deepEqual(covered, [], `${where}: labels cover marks`);
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      const a = labels[i], b = labels[j];
      const overlap = a.x < b.r - 0.5 && b.x < a.r - 0.5 && a.y < b.b - 0.5 && b.y < a.b - 0.5;
      assert.ok(!overlap, `${where}: labels "${a.text}" and "${b.text}" do not overlap`);
    }
  }
  return labels.length;
}

/** A marker stands at the left edge of the record cell whose offset it names. */
async function assertAtCell(page, partition, mark, what) {
  const left = await cellLeft(page, partition, mark.offset);
  if (left === null) {
    const end = Number(await page.getAttribute(`[data-partition="${partition}"]`, 'data-log-end-offset'));
    assert.equal(mark.offset, end, `${what}: a marker without a cell is at the log end (${mark.offset})`);
    return;
  }
  assert.ok(Math.abs(mark.cx - left) <= 4, `${what} at offset ${mark.offset}: marker x ${mark.cx.toFixed(1)} vs cell ${left.toFixed(1)}`);
}

async function newspaper(page) {
  await pause(page);
  await runLine(page, 'reset');
  await runLine(page, 'kafka-topics --create --topic news --partitions 1');
  await runLine(page, 'records fill --topic news --count 40');
  await runLine(page, 'consumer start alice --group alice --topic news --config auto.offset.reset=earliest');
  await runLine(page, 'consumer start bob --group bob --topic news --config auto.offset.reset=earliest --config processing.rate=1');
  await runLine(page, 'clock advance 10s');
  await page.waitForSelector('[data-partition="news-0"] g.track[data-track="bob"] .mark.processed');
  await settle(page);
}

test('a slow reader is visibly behind: fetched, processed and committed each at its own record', async () => {
  const { page, errors } = await openPage(browser, server.url, { width: 1366, height: 768 });
  await page.waitForSelector('#console-input');
  await newspaper(page);
  const bob = await track(page, 'news-0', 'bob');
  const alice = await track(page, 'news-0', 'alice');
  assert.equal(bob.fetched.offset, 40, 'one poll fetched the whole log (max.poll.records=500)');
  assert.ok(bob.processed.offset > 0 && bob.processed.offset < 15, `bob processed about one a second: ${bob.processed.offset}`);
  assert.ok(bob.processed.cx < bob.fetched.cx - 100, 'bob\'s processed marker is far left of his fetched one');
  assert.equal(alice.processed.offset, 40, 'alice has processed everything');
  assert.equal(alice.committed?.offset, 40, 'alice\'s group committed 40');
  assert.equal(bob.committed, null, 'nothing committed for bob yet: his first poll is still being processed');
  await assertAtCell(page, 'news-0', bob.processed, 'bob processed');
  await assertAtCell(page, 'news-0', alice.fetched, 'alice fetched');
  assert.match(bob.label, new RegExp(`${bob.processed.offset}.*40`), `bob's label names both offsets: ${bob.label}`);
  await assertLabelsLegible(page, 'newspaper');
  // The group says what --describe says: no committed offset, no lag.
  const bobGroup = await page.textContent('g.group[data-group="bob"] .group-meta');
  assert.match(bobGroup, /lag -/, bobGroup);
  await runLine(page, 'kafka-consumer-groups --describe --group alice');
  const describe = await page.$$eval('.scrollback pre.out', (els) => els.at(-1).textContent);
  const row = describe.split('\n').find((l) => l.startsWith('alice '));
  const lag = row.trim().split(/\s+/)[5];
  assert.match(await page.textContent('g.group[data-group="alice"] .group-meta'), new RegExp(`lag ${lag}$`));
  await screenshot(page, 'pace-newspaper-1366x768-light');

  // Playing on, bob is seen walking the log: his processed marker moves right, one record a second.
  await page.selectOption('#speed', { label: '10×' }).catch(() => page.selectOption('#speed', { index: 2 }));
  await play(page);
  const seen = [];
  for (let i = 0; i < 4; i++) {
    await page.waitForTimeout(700);
    seen.push((await track(page, 'news-0', 'bob')).processed);
    await screenshot(page, `pace-walking-${i}-1366x768-light`);
  }
  await pause(page);
  for (let i = 1; i < seen.length; i++) {
    assert.ok(seen[i].offset >= seen[i - 1].offset, 'processed never goes back');
  }
  assert.ok(seen.at(-1).offset > seen[0].offset && seen.at(-1).cx > seen[0].cx, `bob walks: ${seen.map((s) => s.offset)}`);
  assert.deepEqual(errors, []);
});

test('a rewound reader walks the log again and a reset group\'s committed offset is at its record', async () => {
  const { page, errors } = await openPage(browser, server.url, { width: 1280, height: 720, colorScheme: 'dark' });
  await page.waitForSelector('#console-input');
  await newspaper(page);
  // "Rewind to start" on alice, from the inspector, and slow her down (÷2 twice).
  await runLine(page, 'consumer set alice processing.rate=2');
  await page.click('g.consumer[data-consumer="alice"]');
  await page.click('#consumer-rewind');
  await page.click('#consumer-slower');
  await runLine(page, 'clock advance 3s');
  await settle(page);
  const alice = await track(page, 'news-0', 'alice');
  assert.ok(alice.processed.offset <= 3, `alice starts over: processed ${alice.processed.offset}`);
  assert.equal(alice.fetched.offset, 40, 'her poll fetched the log again');
  assert.ok(alice.processed.cx < alice.fetched.cx - 100, 'and she is visibly behind');
  await assertAtCell(page, 'news-0', alice.processed, 'alice processed after rewind');
  await assertLabelsLegible(page, 'rewind');
  await screenshot(page, 'pace-rewind-1280x720-dark');

  // --reset-offsets on a stopped group moves its committed marker back to the start.
  await runLine(page, 'consumer stop bob');
  await runLine(page, 'kafka-consumer-groups --reset-offsets --group bob --topic news --to-offset 5 --execute');
  await settle(page);
  const bob = await track(page, 'news-0', 'bob');
  assert.equal(bob.committed.offset, 5);
  assert.equal(bob.fetched, null, 'a stopped reader has no position');
  await assertAtCell(page, 'news-0', bob.committed, 'bob committed after reset');
  assert.match(bob.label, /committed 5|▼5/);
  assert.match(await page.textContent('g.group[data-group="bob"] .group-meta'), /lag 35$/);
  await assertLabelsLegible(page, 'reset');
  await screenshot(page, 'pace-reset-1280x720-dark');
  assert.deepEqual(errors, []);
});

test('a long log keeps the readers that matter and its end in view, with few cells drawn', async () => {
  const { page, errors } = await openPage(browser, server.url, { width: 1920, height: 1080 });
  await page.waitForSelector('#console-input');
  await pause(page);
  await runLine(page, 'reset');
  await runLine(page, 'kafka-topics --create --topic big --partitions 1');
  await runLine(page, 'records fill --topic big --count 100000');
  await runLine(page, 'consumer start early --group early --topic big --config auto.offset.reset=earliest --config processing.rate=1 --config max.poll.records=5');
  await runLine(page, 'consumer start middle --group middle --topic big --config auto.offset.reset=earliest --config processing.rate=1 --config max.poll.records=5');
  await runLine(page, 'consumer start late --group late --topic big');
  await runLine(page, 'clock advance 5s');
  await runLine(page, 'consumer seek middle --to-offset 50000');
  await runLine(page, 'clock advance 1s');
  await settle(page);
  const cells = await page.$$eval('[data-partition="big-0"] g.record', (els) => els.map((e) => Number(e.dataset.offset)));
  assert.ok(cells.length <= 25, `a window of cells is drawn, not the log: ${cells.length}`);
  assert.ok(cells.includes(99999), 'the last record is drawn');
  const gaps = await page.$$eval('[data-partition="big-0"] g.gap', (els) => els.length);
  assert.ok(gaps >= 1, 'the records between are folded into gaps');
  for (const name of ['early', 'middle', 'late']) {
    const t = await track(page, 'big-0', name);
    await assertAtCell(page, 'big-0', t.processed, `${name} processed`);
    await assertAtCell(page, 'big-0', t.fetched, `${name} fetched`);
  }
  const middle = await track(page, 'big-0', 'middle');
  assert.ok(middle.fetched.offset >= 50000 && middle.fetched.offset <= 50010, `middle: ${middle.fetched.offset}`);
  await assertLabelsLegible(page, 'long log');
  await screenshot(page, 'pace-long-log-1920x1080-light');

  // A click on a gap looks inside it; arrow keys scroll; "follow" returns to the readers.
  const gap = await page.$$eval('[data-partition="big-0"] g.gap', (els) => els.map((e) => [Number(e.dataset.gapFrom), Number(e.dataset.gapTo)]).sort((a, b) => (b[1] - b[0]) - (a[1] - a[0]))[0]);
  await page.click(`[data-partition="big-0"] g.gap[data-gap-from="${gap[0]}"]`);
  const middleOfGap = Math.floor(gap[0] + (gap[1] - gap[0]) / 2);
  await page.waitForSelector(`[data-partition="big-0"] g.record[data-offset="${middleOfGap}"]`);
  const inside = await page.$$eval('[data-partition="big-0"] g.record', (els) => els.length);
  assert.ok(inside <= 25, `still a window: ${inside} cells`);
  await page.focus('[data-partition="big-0"] .lane-bg');
  await page.keyboard.press('ArrowRight');
  const scrolled = Number(await page.getAttribute('[data-partition="big-0"] .lane-focus', 'data-focus'));
  assert.ok(scrolled > middleOfGap, `arrow right scrolls towards the end: ${scrolled}`);
  await page.waitForSelector(`[data-partition="big-0"] g.record[data-offset="${scrolled}"]`);
  await settle(page);
  await assertLabelsLegible(page, 'long log, scrolled');
  await screenshot(page, 'pace-long-log-scrolled-1920x1080-light');
  await page.click('[data-partition="big-0"] .lane-focus');
  await page.waitForSelector('[data-partition="big-0"] .lane-focus', { state: 'detached' });
  assert.equal(await page.$(`[data-partition="big-0"] g.record[data-offset="${scrolled}"]`), null, 'back to the readers');
  assert.deepEqual(errors, []);
});

test('the sandbox\'s lanes stay legible at every screen size, light and dark, and in presenter mode', async () => {
  const sizes = [[1280, 720], [1366, 768], [1920, 1080]];
  for (const [width, height] of sizes) {
    for (const colorScheme of ['light', 'dark']) {
      const { page, errors, context } = await openPage(browser, server.url, { width, height, colorScheme });
      await page.waitForSelector('[data-consumer]');
      await page.selectOption('#speed', { label: '50×' });
      await play(page);
      await page.waitForFunction(() => document.querySelectorAll('g.track .mark.processed').length >= 3, null, { timeout: 30000 });
      await page.waitForTimeout(1500);
      await pause(page);
      await settle(page);
      const n = await assertLabelsLegible(page, `sandbox ${width}x${height} ${colorScheme}`);
      assert.ok(n >= 3, `every reader has a label: ${n}`);
      await screenshot(page, `pace-sandbox-${width}x${height}-${colorScheme}`);
      await page.click('#presenter');
      await settle(page);
      await assertLabelsLegible(page, `presenter ${width}x${height} ${colorScheme}`);
      await screenshot(page, `pace-presenter-${width}x${height}-${colorScheme}`);
      assert.deepEqual(errors, []);
      await context.close();
    }
  }
});

test('the newspaper lesson shows Bob far behind Alice', async () => {
  const { page, errors } = await openPage(browser, `${server.url}?lesson=newspaper&step=3`, { width: 1366, height: 768, lessons: true });
  await page.waitForSelector('section.lesson[data-lesson="newspaper"]');
  await page.waitForSelector('[data-partition="news-0"] g.track[data-track="bob"] .mark.processed');
  await settle(page);
  const bob = await track(page, 'news-0', 'bob');
  const alice = await track(page, 'news-0', 'alice');
  assert.ok(bob.processed.offset < alice.processed.offset, `bob ${bob.processed.offset} behind alice ${alice.processed.offset}`);
  assert.ok(bob.processed.cx < alice.processed.cx - 50, 'and visibly so');
  assert.ok(bob.fetched.offset <= bob.processed.offset + 5, 'bob fetches five at a time (max.poll.records=5)');
  await assertLabelsLegible(page, 'newspaper lesson');
  await screenshot(page, 'pace-lesson-newspaper-1366x768-light');
  // Next step: "Bob is far behind"; the picture agrees, and playing on he is seen catching up.
  await page.click('#lesson-next');
  await page.waitForSelector('section.lesson[data-step="3"]');
  await settle(page);
  const later = await track(page, 'news-0', 'bob');
  assert.ok(later.processed.offset < 40, `bob is still behind: ${later.processed.offset} < 40`);
  assert.ok(later.processed.offset > bob.processed.offset, 'but further than before');
  assert.ok(later.committed && later.committed.offset <= later.processed.offset, 'his group commits what he has processed');
  await assertAtCell(page, 'news-0', later.committed, 'bob committed');
  // The group's lag is what --describe counts: log end − committed.
  const end = Number(await page.getAttribute('[data-partition="news-0"]', 'data-log-end-offset'));
  assert.match(await page.textContent('g.group[data-group="bob"] .group-meta'), new RegExp(`lag ${end - later.committed.offset}$`));
  await assertLabelsLegible(page, 'newspaper lesson, step 4');
  await screenshot(page, 'pace-lesson-newspaper-step4-1366x768-light');
  assert.deepEqual(errors, []);
});

test('consumer colours stay fixed when another consumer is removed', async () => {
  const { page, errors } = await openPage(browser, server.url, { width: 1366, height: 768 });
  await page.waitForSelector('g.consumer[data-consumer="payment-2"]');
  await pause(page);
  const colours = () => page.$$eval('g.consumer', (els) => Object.fromEntries(els.map((e) => [e.dataset.consumer, e.querySelector('circle').style.fill])));
  const before = await colours();
  const first = Object.keys(before)[0];
  await runLine(page, `consumer remove ${first}`);
  await page.waitForFunction((id) => !document.querySelector(`g.consumer[data-consumer="${id}"]`), first);
  const after = await colours();
  for (const [id, colour] of Object.entries(after)) assert.equal(colour, before[id], `${id} keeps its colour`);
  assert.ok(Object.keys(after).length >= 2);
  assert.deepEqual(errors, []);
});

/** Steps the clock one tick at a time until `check` holds in the page, collecting every
 * handover the diagram animates on the way (a flight stays on screen for several ticks:
 * each is counted once, by the step that moved it), from step `fromStep` of the history on. */
async function stepUntil(page, check, arg, fromStep = 0, maxSteps = 200) {
  const handovers = new Map();
  let shots = 0;
  for (let i = 0; i < maxSteps; i++) {
    await runLine(page, 'clock advance 1');
    const now = await page.$$eval('g.handover', (els) => els.map((e) => [`${e.dataset.handover}@${e.dataset.sinceStep}`, e.dataset.handover]));
    for (const [id, handover] of now) if (Number(id.split('@')[1]) >= fromStep) handovers.set(id, handover);
    if (now.length && shots < 3) {
      await page.waitForTimeout(350);
      await screenshot(page, `pace-handover-${shots++}-1366x768-light`);
    }
    if (await page.evaluate(check, arg)) {
      // A flight takes off with the tick after its event: two more ticks let the last ones show.
      for (let more = 0; more < 2; more++) {
        await runLine(page, 'clock advance 1');
        const late = await page.$$eval('g.handover', (els) => els.map((e) => [`${e.dataset.handover}@${e.dataset.sinceStep}`, e.dataset.handover]));
        for (const [id, handover] of late) if (Number(id.split('@')[1]) >= fromStep) handovers.set(id, handover);
      }
      return [...handovers.values()];
    }
  }
  throw new Error('the condition never held');
}

test('rebalances in motion: partitions travel, eager revokes all, cooperative only movers; unowned time and crash countdowns show', async () => {
  const { page, errors } = await openPage(browser, server.url, { width: 1366, height: 768 });
  await page.waitForSelector('#console-input');
  await pause(page);
  await runLine(page, 'reset');
  await runLine(page, 'kafka-topics --create --topic t --partitions 4');
  await runLine(page, 'consumer start e1 --group eager --topic t --config partition.assignment.strategy=range');
  await runLine(page, 'consumer start c1 --group coop --topic t --config partition.assignment.strategy=cooperative-sticky');
  await runLine(page, 'clock advance 5s');
  const stableBoth = () => ['eager', 'coop'].every((g) => document.querySelector(`g.group[data-group="${g}"]`)?.dataset.state === 'Stable')
    && [...document.querySelectorAll('g.consumer')].every((c) => c.dataset.owned !== '');
  // Flights of the groups' first assignment may still be in the air: count from here on.
  const fromStep = Number(await page.getAttribute('.clock', 'data-step'));
  await runLine(page, 'consumer start e2 --group eager --topic t --config partition.assignment.strategy=range');
  await runLine(page, 'consumer start c2 --group coop --topic t --config partition.assignment.strategy=cooperative-sticky');
  // Mid-rebalance the phase is named large, with its protocol.
  await runLine(page, 'clock advance 1');
  const badge = await page.$eval('g.group[data-group="eager"] .state-badge', (e) => ({ text: e.textContent, size: parseFloat(getComputedStyle(e).fontSize) }));
  assert.match(badge.text, /Rebalance/);
  assert.ok(badge.size >= 15, `the phase is large: ${badge.size}px`);
  for (const g of ['eager', 'coop']) {
    const fits = await page.$eval(`g.group[data-group="${g}"]`, (el) => {
      const bg = el.querySelector('.group-bg').getBoundingClientRect();
      return [...el.querySelectorAll('text')].every((t) => { const r = t.getBoundingClientRect(); return r.x >= bg.x - 0.5 && r.right <= bg.right + 0.5; });
    });
    assert.ok(fits, `group ${g}'s texts stay inside its box`);
  }
  assert.match(await page.textContent('g.group[data-group="coop"]'), /cooperative · gen/);
  assert.match(await page.textContent('g.group[data-group="eager"]'), /eager · gen/);
  await screenshot(page, 'pace-rebalance-phase-1366x768-light');
  const handovers = await stepUntil(page, stableBoth, undefined, fromStep);
  const revoked = (g) => handovers.filter((h) => h.startsWith('revoke:') && h.endsWith(`:${g}1`)).length;
  const assignedTo = (c) => handovers.filter((h) => h.startsWith('assign:') && h.endsWith(`:${c}`)).length;
  assert.equal(revoked('e'), 4, `eager: e1 gives up all four partitions: ${handovers}`);
  assert.equal(revoked('c'), 2, `cooperative: c1 gives up only the two that move: ${handovers}`);
  assert.equal(assignedTo('e1'), 2, 'eager: e1 is handed back the two it keeps');
  assert.equal(assignedTo('c1'), 0, 'cooperative: c1 keeps its two without a handover');
  assert.equal(assignedTo('e2') + assignedTo('c2'), 4, 'the newcomers each travel two partitions');

  // A crash: the countdown is in whole seconds, and the partitions show how long nobody has read them.
  await runLine(page, 'consumer crash e2');
  await runLine(page, 'clock advance 3s');
  const status = await page.getAttribute('g.consumer[data-consumer="e2"]', 'data-status');
  assert.match(status, /^crashed · removed in \d+ s$/, status);
  const seconds = Number(status.match(/(\d+) s/)[1]);
  assert.ok(seconds >= 40 && seconds <= 43, `about 42 s left of the 45 s session: ${seconds}`);
  const unowned = await page.$$eval('g.track.unowned', (els) => els.map((e) => ({ ticks: Number(e.dataset.unownedTicks), label: e.querySelector('.marker-label').textContent })));
  assert.equal(unowned.length, 2, `e2's two partitions are unread: ${JSON.stringify(unowned)}`);
  for (const u of unowned) {
    assert.equal(u.ticks, 30);
    assert.match(u.label, /no owner for 3\.0 s|⚠3\.0s/, u.label);
  }
  await settle(page);
  await assertLabelsLegible(page, 'crash');
  await screenshot(page, 'pace-crash-1366x768-light');
  assert.deepEqual(errors, []);
});
