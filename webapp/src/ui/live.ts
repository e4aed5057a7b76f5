// The live view: a sweeping ECG-like strip drawn from the device's event markers (each pace a
// spike, each sense a complex, labelled) and the ventricular rate trend, both uPlot charts.
// The strip runs a little behind the device clock (STRIP_DELAY_MS), so that a marker arrives
// before the sweep reaches its place, as on a bedside monitor.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { isVentricular, MarkerFeed, ventricularRate } from '../programmer/markers.js';
import type { LiveMarker } from '../programmer/markers.js';
import type { ImplantSession } from '../programmer/session.js';

const SWEEP_MS = 6000;
const SAMPLE_MS = 5;
const GAP_MS = 250;
/** One poll interval plus a round trip: markers are on the strip before the sweep gets there. */
export const STRIP_DELAY_MS = 350;
const KEEP_MS = 10 * 60 * 1000;

/** Shapes per marker: [offset ms, amplitude, width ms] Gaussian bumps (a stylised electrogram). */
const SHAPES: Readonly<Record<string, readonly (readonly [number, number, number])[]>> = {
  AP: [[0, 1.2, 2], [20, 0.15, 20]], AS: [[0, 0.15, 20]],
  VP: [[0, 1.4, 2], [30, -0.5, 18], [45, 0.9, 14], [280, 0.3, 50]],
  VS: [[0, 1.0, 10], [15, -0.3, 10], [250, 0.3, 50]], PVC: [[0, -1.0, 25], [280, 0.4, 60]],
};

/** Measurements the browser tests read (window.__implantLive). */
interface LiveMetrics {
  firstMarkerShownAt?: number;
  shown: { t: number; type: string; receivedAt: number; shownAt: number }[];
}

function metrics(): LiveMetrics {
  const w = window as unknown as { __implantLive?: LiveMetrics };
  return (w.__implantLive ??= { shown: [] });
}

function waveAt(t: number, markers: readonly LiveMarker[]): number {
  let y = 0;
  for (const m of markers) {
    const shape = SHAPES[m.type];
    if (!shape || t < m.t - 60 || t > m.t + 400) continue;
    for (const [at, amp, width] of shape) y += amp * Math.exp(-(((t - m.t - at) / width) ** 2));
  }
  return y;
}

export function LiveView({ session }: { session: ImplantSession }) {
  const stripRef = useRef<HTMLDivElement>(null);
  const trendRef = useRef<HTMLDivElement>(null);
  const [rate, setRate] = useState<number>();
  const [last, setLast] = useState<string>();
  useEffect(() => {
    const markers: LiveMarker[] = [];
    const trend: [number[], number[]] = [[], []];
    let offset: number | undefined; // performance.now() - device time, smallest seen
    const width = () => Math.max(280, (stripRef.current?.clientWidth ?? 320) - 4);
    const n = SWEEP_MS / SAMPLE_MS;
    const xs = Array.from({ length: n }, (_, i) => (i * SAMPLE_MS) / 1000);
    let shownUntil = -Infinity;
    let labelled: { x: number; type: string }[] = [];
    const strip = new uPlot({
      width: width(), height: 160, legend: { show: false }, cursor: { show: false },
      scales: { x: { time: false, range: [0, SWEEP_MS / 1000] }, y: { range: [-1.2, 1.8] } },
      axes: [{ show: true, size: 24, values: (_u: uPlot, v: number[]) => v.map((s) => `${s}s`) }, { show: false }],
      series: [{}, { stroke: '#1b8a3a', width: 2, spanGaps: false, points: { show: false } }],
      hooks: {
        draw: [(u: uPlot) => {
          const ctx = u.ctx;
          ctx.save();
          ctx.font = `${11 * devicePixelRatio}px system-ui`;
          ctx.fillStyle = '#0b5cad';
          for (const m of labelled) ctx.fillText(m.type, u.valToPos(m.x, 'x', true) + 3, u.bbox.top + 12 * devicePixelRatio);
          ctx.restore();
        }],
      },
    }, [xs, new Array<number | null>(n).fill(null)], stripRef.current!);
    const trendPlot = new uPlot({
      width: width(), height: 140, legend: { show: false },
      scales: { y: { range: (_u: uPlot, min: number, max: number) => [Math.min(40, min - 5), Math.max(100, max + 5)] } },
      axes: [{ size: 28 }, { size: 36, label: '/min' }],
      series: [{}, { stroke: '#b3261e', width: 2, points: { show: true, size: 3 } }],
    }, trend, trendRef.current!);

    const feed = new MarkerFeed(session, (batch) => {
      for (const m of batch) {
        offset = offset === undefined ? m.receivedAt - m.t : Math.min(offset, m.receivedAt - m.t);
        markers.push(m);
        if (isVentricular(m.type)) {
          const r = ventricularRate(markers, 1);
          if (r !== undefined && r > 0 && r < 400) {
            trend[0].push((performance.timeOrigin + m.receivedAt) / 1000);
            trend[1].push(r);
          }
        }
      }
      const keepFrom = batch[batch.length - 1].t - KEEP_MS;
      while (markers.length > 0 && markers[0].t < keepFrom) markers.shift();
      while (trend[0].length > 2000) { trend[0].shift(); trend[1].shift(); }
      trendPlot.setData(trend);
      setRate(ventricularRate(markers));
      setLast(batch[batch.length - 1].type);
    });
    feed.start();

    let frame = 0;
    const draw = () => {
      frame = requestAnimationFrame(draw);
      if (stripRef.current?.offsetParent === null) return; // on a hidden tab
      if (Math.abs(strip.width - width()) > 2) resize();
      if (offset === undefined) return;
      const now = performance.now() - offset - STRIP_DELAY_MS;
      const phase = now % SWEEP_MS;
      const recent = markers.filter((m) => m.t > now - SWEEP_MS - 500 && m.t <= now + 500);
      const ys = xs.map((_, i) => {
        const behind = (phase - i * SAMPLE_MS + SWEEP_MS) % SWEEP_MS;
        return behind < GAP_MS && behind > 0 ? null : waveAt(now - behind, recent);
      });
      labelled = recent.filter((m) => SHAPES[m.type] && m.t <= now && m.t > now - SWEEP_MS + GAP_MS).map((m) => ({ x: ((m.t % SWEEP_MS) + SWEEP_MS) % SWEEP_MS / 1000, type: m.type }));
      strip.setData([xs, ys]);
      const record = metrics();
      for (const m of recent) {
        if (m.t > shownUntil && m.t <= now) {
          const shownAt = performance.now();
          record.firstMarkerShownAt ??= performance.timeOrigin + shownAt;
          record.shown.push({ t: m.t, type: m.type, receivedAt: m.receivedAt, shownAt });
          if (record.shown.length > 500) record.shown.shift();
        }
      }
      shownUntil = Math.max(shownUntil, now);
    };
    frame = requestAnimationFrame(draw);
    const resize = () => {
      strip.setSize({ width: width(), height: 160 });
      trendPlot.setSize({ width: width(), height: 140 });
    };
    window.addEventListener('resize', resize);
    return () => {
      feed.stop();
      cancelAnimationFrame(frame);
      window.removeEventListener('resize', resize);
      strip.destroy();
      trendPlot.destroy();
    };
  }, [session]);
  return html`<section class="card">
    <h2>Live markers</h2>
    <p class="rate">Ventricular rate <output data-test="rate">${rate ?? '…'}</output> /min <small data-test="last-marker">${last ?? ''}</small></p>
    <div class="strip" ref=${stripRef} data-test="strip"></div>
    <h3>Rate trend</h3>
    <div class="trend" ref=${trendRef} data-test="trend"></div>
  </section>`;
}
