// The browser benchmark (open the app with ?bench=N): after a warm-up, it records the time
// between animation frames and every long task (over 50 ms) during playback, then writes a
// report into <pre id="bench-report"> and data-bench-report on <html>.
(() => {
  const params = new URLSearchParams(location.search);
  if (!params.has('bench')) return;
  const WARMUP_MS = 3000;
  const MEASURE_MS = 10000;
  const frames = [];
  const longTasks = [];
  let last = null;
  let start = null;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (start !== null) longTasks.push(Math.round(e.duration));
    }).observe({ entryTypes: ['longtask'] });
  } catch (_) { /* longtask timing is not available everywhere */ }
  const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
  const tick = (now) => {
    if (start === null && now > WARMUP_MS) { start = now; last = now; }
    else if (start !== null) {
      frames.push(now - last);
      last = now;
      if (now - start >= MEASURE_MS) return report(now - start);
    }
    requestAnimationFrame(tick);
  };
  const report = (elapsed) => {
    const sorted = [...frames].sort((a, b) => a - b);
    const result = {
      recordsPerPartition: Number(params.get('bench')) || 100,
      seconds: +(elapsed / 1000).toFixed(1),
      frames: frames.length,
      fps: +(frames.length / (elapsed / 1000)).toFixed(1),
      frameMs: { median: +percentile(sorted, 0.5).toFixed(1), p95: +percentile(sorted, 0.95).toFixed(1), max: +sorted[sorted.length - 1].toFixed(1) },
      longTasks: { count: longTasks.length, maxMs: longTasks.length ? Math.max(...longTasks) : 0 },
      step: document.querySelector('.clock')?.dataset.step,
    };
    const text = JSON.stringify(result);
    document.documentElement.dataset.benchReport = text;
    const pre = document.createElement('pre');
    pre.id = 'bench-report';
    pre.textContent = text;
    pre.style.cssText = 'position:fixed;bottom:0;left:0;right:0;margin:0;padding:.5rem;background:#111;color:#4ade80;z-index:100;font:13px monospace';
    document.body.appendChild(pre);
  };
  requestAnimationFrame(tick);
})();
