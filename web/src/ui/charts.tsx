// Line charts of the public indicators over the rounds (uPlot, bundled: no CDN).
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { RoundPoint } from '../logic/model';
import { COLOURS, STACK_COLOURS, STACKS } from './common';
import { formatNumber } from '../logic/format';

export interface Series {
  label: string;
  values: (number | null)[];
  colour: string;
  dash?: number[];
}

export interface ChartProps {
  title: string;
  labels: string[]; // x axis: one per round point
  series: Series[];
  band?: { lo: number; hi: number; label: string };
  unit: string;
  yRange?: [number, number];
  height: number;
  dark?: boolean;
  testId?: string;
}

export function LineChart(p: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ink = p.dark ? '#e8e8e8' : '#222';
    const grid = p.dark ? 'rgba(255,255,255,0.14)' : 'rgba(0,0,0,0.10)';
    const font = p.dark ? '20px system-ui, sans-serif' : '13px system-ui, sans-serif';
    const xs = p.labels.map((_, i) => i);
    const data: (number | null)[][] = [xs];
    const series: uPlot.Series[] = [{ label: 'round' }];
    // The band is drawn behind the grid and lines, not as a series, so the
    // legend lists only what was measured.
    const band = p.band;
    const drawBand = (u: uPlot) => {
      if (!band) return;
      const top = u.valToPos(band.hi, 'y', true);
      const bottom = u.valToPos(band.lo, 'y', true);
      const { left, width } = u.bbox;
      u.ctx.save();
      u.ctx.fillStyle = p.dark ? 'rgba(86,180,233,0.28)' : COLOURS.band;
      u.ctx.fillRect(left, Math.min(top, bottom), width, Math.abs(bottom - top));
      u.ctx.restore();
    };
    for (const s of p.series) {
      data.push(s.values);
      series.push({ label: s.label, stroke: s.colour, width: p.dark ? 4 : 2, dash: s.dash, points: { size: p.dark ? 9 : 6, fill: s.colour }, value: (_u, v) => (v == null ? '–' : `${formatNumber(v)}${p.unit ? ' ' + p.unit : ''}`) });
    }
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: p.height,
      series,
      hooks: { drawClear: [drawBand] },
      legend: { show: true, live: false },
      padding: [8, p.dark ? 44 : 30, 0, 0],
      cursor: { show: false },
      scales: {
        x: { time: false, range: (_u, min, max) => [min, Math.max(max, min + 1)] },
        // From zero (or below, for a lead that turned), so a small change
        // does not look like a collapse; the band always in view.
        y: { range: p.yRange ? () => p.yRange! : (_u, min, max) => yRange(min, max, p.band) },
      },
      axes: [
        { stroke: ink, font, grid: { stroke: grid }, ticks: { stroke: grid }, incrs: [1], values: (_u, vals) => vals.map((v) => p.labels[v] ?? '') },
        { stroke: ink, font, grid: { stroke: grid }, ticks: { stroke: grid }, size: p.dark ? 80 : 55, values: (_u, vals) => vals.map((v) => formatNumber(v)) },
      ],
    };
    plot.current?.destroy();
    plot.current = new uPlot(opts, data as uPlot.AlignedData, el);
    const ro = new ResizeObserver(() => {
      if (plot.current && el.clientWidth > 0) plot.current.setSize({ width: el.clientWidth, height: p.height });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [JSON.stringify([p.labels, p.series, p.band, p.unit, p.yRange, p.height, p.dark])]);

  return (
    <figure class={`chart ${p.dark ? 'dark' : ''}`} data-testid={p.testId}>
      <figcaption>{p.title}</figcaption>
      <div ref={box} class="chart-box" role="img" aria-label={describe(p)} />
      {p.band && (
        <p class="chart-note">
          <span class="swatch" aria-hidden="true" /> shaded: {p.band.label}
        </p>
      )}
    </figure>
  );
}

export function yRange(min: number | null, max: number | null, band?: { lo: number; hi: number }): [number, number] {
  const lo = Math.min(0, min ?? 0, band?.lo ?? 0);
  const hi = Math.max(max ?? 1, band?.hi ?? 0, lo + 1);
  const pad = (hi - lo) * 0.08;
  return [lo < 0 ? lo - pad : 0, hi + pad];
}

// The same figures in words, for screen readers.
function describe(p: ChartProps): string {
  const last = p.labels.length - 1;
  if (last < 0) return `${p.title}: no rounds yet`;
  const parts = p.series.map((s) => `${s.label} ${s.values[last] == null ? 'unknown' : formatNumber(s.values[last]!)}`);
  return `${p.title}, at ${p.labels[last]}: ${parts.join(', ')}${p.unit ? ' ' + p.unit : ''}`;
}

// The three public charts the issue names: the lead with the 12–24 month
// band of the 2028 paper's tight line, the compute ratio, and the shares of
// each AI stack in the rest-of-world market.
export function IndicatorCharts({ history, height, dark }: { history: RoundPoint[]; height: number; dark?: boolean }) {
  const labels = history.map((h) => h.label);
  const row = (i: number) => history.map((h) => h.indicators.markets.find((mk) => mk.market === 'ROW')?.shares[i] ?? null);
  return (
    <div class="indicator-charts">
      <LineChart
        testId="chart-lead"
        title="US lead, public estimate (months)"
        labels={labels}
        series={[{ label: 'lead', values: history.map((h) => h.indicators.leadMonths), colour: COLOURS.US }]}
        band={{ lo: 12, hi: 24, label: '12–24 months (2028 paper, tight line)' }}
        unit="months"
        height={height}
        dark={dark}
      />
      <LineChart
        testId="chart-compute"
        title="Compute ratio US : China"
        labels={labels}
        series={[{ label: 'US:CN', values: history.map((h) => h.indicators.computeRatioUsCn), colour: COLOURS.CN }]}
        unit="×"
        height={height}
        dark={dark}
      />
      <LineChart
        testId="chart-row"
        title="Rest-of-world market: share by AI stack"
        labels={labels}
        series={STACKS.map((s, i) => ({ label: s, values: row(i).map((v) => (v == null ? null : v * 100)), colour: STACK_COLOURS[i], dash: i === 1 ? [10, 5] : i === 2 ? [3, 4] : undefined }))}
        unit="%"
        yRange={[0, 100]}
        height={height}
        dark={dark}
      />
    </div>
  );
}
