// The classroom-hardware benchmark: the release build in headless Chromium with the CPU
// throttled (DevTools' Emulation.setCPUThrottlingRate, 4× by default), for the sandbox and
// the 3 × 24 × 50 scene (?scene=scale). For each it prints the time to the first drawn
// diagram, the long tasks (over 50 ms) during load and during the playback that follows,
// and the frame intervals of that playback. A benchmark, not a test: it asserts nothing.
// Run after `trunk build --release --offline`:
//   node scripts/bench-throttled.mjs [--rate 4] [--seconds 60]
import { serveDist, launch } from '../tests/e2e/harness.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const rate = arg('rate', 4);
const seconds = arg('seconds', 60);

// Installed before the app's scripts run, so load's long tasks and the first diagram are seen.
const probe = () => {
  window.__bench = { longTasks: [], firstDiagramMs: null, frames: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__bench.longTasks.push({ at: e.startTime, ms: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  new MutationObserver((_, observer) => {
    if (document.querySelector('svg.diagram')) {
      window.__bench.firstDiagramMs = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
};

const summary = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 10) / 10 : 0;
  return { median: at(0.5), p95: at(0.95), max: at(1) };
};

const server = await serveDist();
const browser = await launch();
try {
  for (const [name, query] of [['sandbox', ''], ['scale 3×24×50', '?scene=scale']]) {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    // A returning visitor: the sandbox opens, not the lesson list.
    await context.addInitScript(() => { try { localStorage.setItem('kafka-sim.visited', '1'); } catch (_) { /* private mode */ } });
    await context.addInitScript(probe);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    await page.goto(`${server.url}${query}`);
    await page.waitForSelector('.app', { timeout: 120_000 });
    if (await page.$('#open-sandbox')) await page.click('#open-sandbox');
    await page.waitForSelector('svg.diagram', { timeout: 120_000 });
    const loadedAt = await page.evaluate(() => performance.now());
    await page.evaluate(() => {
      const frames = window.__bench.frames;
      let last = performance.now();
      const tick = (now) => { frames.push(now - last); last = now; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    });
    await page.waitForTimeout(seconds * 1000);
    const b = await page.evaluate(() => window.__bench);
    const load = b.longTasks.filter((t) => t.at <= loadedAt);
    const play = b.longTasks.filter((t) => t.at > loadedAt);
    console.log(`throttled ${rate}× ${name}: ${JSON.stringify({
      firstDiagramMs: Math.round(b.firstDiagramMs ?? loadedAt),
      load: { longTasks: load.length, maxMs: Math.round(Math.max(0, ...load.map((t) => t.ms))) },
      playback: {
        seconds,
        frames: b.frames.length,
        frameMs: summary(b.frames),
        longTasks: play.length,
        maxMs: Math.round(Math.max(0, ...play.map((t) => t.ms))),
      },
    })}`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
