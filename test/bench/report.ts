/** The bench's rows: what one implementation measured at one size and dtype, derived ratios, printing. */
import type { DType } from '../../src/core/types';
import { goal, atTorchSize, type ImplName } from './options';
import type { Round } from './timing';

/** A measured (or absent) row. */
export interface Row {
  n: number;
  c: number;
  dtype: DType;
  impl: ImplName;
  absent: string | null;
  rounds: Round[];
  callsPerS: number;
  logitsPerS: number;
  secondsPerCall: number;
  /** (max − min) / median of the rounds' calls/s: large when other processes competed for the CPU. */
  spread: number;
  /** Share of all cores other processes used while this size and dtype ran (null: unknown). */
  othersCpu?: number | null;
  /** Median CPU seconds per call of the measured process (all its threads). */
  cpuPerCall: number;
  /**
   * Rounds during which the row pool's splitting was paused (split jobs stopped saving time,
   * src/worker/splitGauge.ts: every job then runs on the calling thread for a second), so a
   * ratio to the forward taken from them would compare one thread with two. A split row's such
   * rounds are run again (main.ts) and left out of its figures; this counts them.
   */
  pausedRounds?: number;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function checkLine(n: number, c: number, dtype: DType, losses: Array<[string, number]>): string {
  const ours = losses[0][1];
  const parts = losses.map(([name, v], i) => {
    if (i === 0) return `${name} ${v}`;
    const rel = Math.abs(v - ours) / Math.abs(v);
    return `${name} ${v} (rel. diff ${rel.toExponential(1)})`;
  });
  return `${n}×${c} ${dtype}: loss ${parts.join(', ')}`;
}

// ---------------------------------------------------------------------------------------------
// Derived figures and output.

export interface Derived {
  ratioVsTfjs: number | null;
  ratioVsTorch: number | null;
  timeRatioVsForward: number | null;
  /**
   * CPU time per call (all our threads) ÷ the forward's, against the same forward as
   * timeRatioVsForward: other processes inflate it far less than the wall clock.
   */
  cpuRatioVsForward: number | null;
  /** torch's CPU time per call ÷ ours (>1 = ours uses less): per-core efficiency, robust to load. */
  cpuRatioVsTorch: number | null;
}

export function find(rows: Row[], n: number, c: number, dtype: DType, impl: ImplName): Row | undefined {
  return rows.find((r) => r.n === n && r.c === c && r.dtype === dtype && r.impl === impl && !r.absent);
}

export function derive(rows: Row[], r: Row): Derived {
  const tf = find(rows, r.n, r.c, r.dtype, 'tfjs-cpu');
  const th = find(rows, r.n, r.c, r.dtype, 'torch');
  // A probability-target gradient against the probability-target forward (its own request's).
  const fw = find(rows, r.n, r.c, r.dtype, r.impl === 'ours-prob-grad' ? 'ours-prob' : 'ours');
  if (r.absent)
    return {
      ratioVsTfjs: null,
      ratioVsTorch: null,
      timeRatioVsForward: null,
      cpuRatioVsForward: null,
      cpuRatioVsTorch: null,
    };
  return {
    ratioVsTfjs: tf ? r.callsPerS / tf.callsPerS : null,
    ratioVsTorch: th ? r.callsPerS / th.callsPerS : null,
    timeRatioVsForward: fw ? r.secondsPerCall / fw.secondsPerCall : null,
    cpuRatioVsForward: fw && fw.cpuPerCall > 0 ? r.cpuPerCall / fw.cpuPerCall : null,
    cpuRatioVsTorch: th && r.cpuPerCall > 0 ? th.cpuPerCall / r.cpuPerCall : null,
  };
}

export function si(v: number, unit = ''): string {
  if (!Number.isFinite(v)) return '—';
  const steps: Array<[number, string]> = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [f, p] of steps)
    if (v >= f) return `${(v / f).toFixed(v / f >= 100 ? 0 : v / f >= 10 ? 1 : 2)} ${p}${unit}`;
  return `${v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${unit}`.trimEnd();
}

export function duration(s: number): string {
  if (!Number.isFinite(s)) return '—';
  if (s >= 1) return `${s.toFixed(2)} s`;
  if (s >= 1e-3) return `${(s * 1e3).toFixed(s >= 1e-2 ? 1 : 2)} ms`;
  if (s >= 1e-6) return `${(s * 1e6).toFixed(s >= 1e-5 ? 1 : 2)} µs`;
  return `${(s * 1e9).toFixed(0)} ns`;
}

export function times(v: number | null, digits = 2): string {
  return v === null || !Number.isFinite(v) ? '—' : `${v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : digits)}×`;
}

/** "torch 2.2× faster" / "ours 1.3× faster" from ours/torch throughput. */
export function versusTorch(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return '';
  return ratio >= 1 ? `(ours ${ratio.toFixed(2)}× faster)` : `(torch ${(1 / ratio).toFixed(2)}× faster)`;
}

export const mark = (ok: boolean): string => (ok ? '✓' : '✗');

/** Goal marks for one row. */
export function rowGoals(r: Row, d: Derived): string {
  if (r.absent) return '';
  const out: string[] = [];
  const f32 = r.dtype === 'float32';
  const atTorch = atTorchSize(r.n, r.c) && d.ratioVsTorch !== null;
  if (r.impl === 'ours') {
    if (f32 && r.n === 4096 && r.c === 1000) out.push(`${mark(r.logitsPerS >= goal.logitsPerS)} ≥200M logits/s`);
    if (f32 && r.n === 1 && r.c === 10) out.push(`${mark(r.callsPerS >= goal.callsPerS)} ≥5M calls/s`);
    if (f32 && d.ratioVsTfjs !== null) out.push(`${mark(d.ratioVsTfjs >= goal.tfjsSpeedup)} ≥30× tfjs`);
    if (atTorch && f32) out.push(`${mark((d.ratioVsTorch as number) >= goal.torchRatio)} ≥1.0× torch`);
    if (atTorch && !f32) out.push(`${mark((d.ratioVsTorch as number) >= goal.torchRatioF64)} ≥0.5× torch`);
  }
  if (r.impl === 'ours-1thread' && f32 && atTorch) {
    out.push(`${mark((d.ratioVsTorch as number) >= goal.torchRatioPerCore)} ≥0.6× torch per core`);
  }
  if (r.impl === 'ours-steps' && d.timeRatioVsForward !== null) {
    out.push(`${mark(d.timeRatioVsForward <= goal.stepsFactor)} ≤1.5× fwd`);
  }
  if (r.impl === 'ours-grad' && d.timeRatioVsForward !== null) {
    out.push(`${mark(d.timeRatioVsForward <= goal.gradFactor)} ≤2× fwd`);
  }
  if (r.impl === 'ours-prob-grad' && d.timeRatioVsForward !== null) {
    out.push(`${mark(d.timeRatioVsForward <= goal.gradFactor)} ≤2× its fwd (ours-prob)`);
  }
  return out.join('  ');
}

export function pad(s: string, w: number, right = false): string {
  const len = [...s].length;
  return len >= w ? s : right ? ' '.repeat(w - len) + s : s + ' '.repeat(w - len);
}

/** The implementations that split their jobs across the row pool's threads. */
export const splits = (impl: ImplName): boolean =>
  impl === 'ours' ||
  impl === 'ours-steps' ||
  impl === 'ours-grad' ||
  impl === 'ours-grad-known' ||
  impl === 'ours-prob' ||
  impl === 'ours-prob-grad';

export function printCell(rows: Row[], n: number, c: number, dtype: DType): void {
  for (const r of rows.filter((x) => x.n === n && x.c === c && x.dtype === dtype)) {
    const d = derive(rows, r);
    const size = pad(`${n}×${c}`, 11);
    if (r.absent) {
      console.log(`${size} ${pad(dtype, 8)} ${pad(r.impl, 17)} ${pad('absent', 11, true)}   ${r.absent}`);
      continue;
    }
    const isRef = r.impl === 'tfjs-cpu' || r.impl === 'torch';
    console.log(
      [
        size,
        pad(dtype, 8),
        pad(r.impl, 17),
        pad(si(r.logitsPerS), 11, true),
        pad(si(r.callsPerS), 10, true),
        pad(duration(r.secondsPerCall), 10, true),
        pad(r.rounds.length > 1 ? `±${Math.round(50 * r.spread)}%` : '', 6, true),
        pad(isRef ? '' : times(d.ratioVsTfjs, 1), 8, true),
        pad(isRef ? '' : times(d.ratioVsTorch), 7, true),
        pad(isRef ? '' : versusTorch(d.ratioVsTorch), 22),
        pad(isRef || r.impl === 'ours' ? '' : times(d.timeRatioVsForward), 7, true),
        pad(isRef ? '' : times(d.cpuRatioVsTorch), 8, true),
        ` ${rowGoals(r, d)}${r.pausedRounds && splits(r.impl) ? `  (splitting paused in ${r.pausedRounds} round(s), run again)` : ''}`,
      ]
        .join(' ')
        .trimEnd(),
    );
  }
}

export function header(): void {
  console.log(
    [
      pad('N×C', 11),
      pad('dtype', 8),
      pad('impl', 17),
      pad('logits/s', 11, true),
      pad('calls/s', 10, true),
      pad('per call', 10, true),
      pad('spread', 6, true),
      pad('vs tfjs', 8, true),
      pad('vs torch', 7, true),
      pad('(throughput ratio)', 22),
      pad('×fwd', 7, true),
      pad('cpu×th', 8, true),
      ' goals (float32)',
    ].join(' '),
  );
}
