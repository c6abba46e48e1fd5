/** The bench's goals evaluated on its rows (✓/✗ with the figure each goal is judged by). */
import { getRowRunner } from '../../src/core/kernel/wasmKernel';
import type { DType } from '../../src/core/types';
import { goal, type ImplName } from './options';
import { derive, find, type Row } from './report';
import type { RssFigures } from './rssProbe';
import type { StepsKindFigure } from './stepsKinds';

export interface GoalResult {
  goal: string;
  value: number | null;
  target: string;
  met: boolean | null;
}

export function evaluateGoals(rows: Row[], rss: RssFigures[], kinds: StepsKindFigure[] = []): GoalResult[] {
  const g: GoalResult[] = [];
  const big = find(rows, 4096, 1000, 'float32', 'ours');
  const push = (
    goalText: string,
    value: number | null | undefined,
    target: string,
    ok: (v: number) => boolean,
  ): void => {
    const v = value === undefined || value === null || !Number.isFinite(value) ? null : value;
    g.push({ goal: goalText, value: v, target, met: v === null ? null : ok(v) });
  };
  const threads = getRowRunner()?.threads ?? 1;
  for (const [n, c] of goal.torchSizes) {
    if (!rows.some((r) => r.n === n && r.c === c)) continue;
    const at = (dtype: DType, impl: ImplName): number | null => {
      const r = find(rows, n, c, dtype, impl);
      return r ? derive(rows, r).ratioVsTorch : null;
    };
    push(
      `float32 (${n}, ${c}) forward ÷ torch 1 thread, ours ${threads} thread(s)`,
      at('float32', 'ours'),
      '≥ 1.0',
      (v) => v >= goal.torchRatio,
    );
    if (threads > 1) {
      push(
        `float32 (${n}, ${c}) forward ÷ torch, both 1 thread (per core)`,
        at('float32', 'ours-1thread'),
        '≥ 0.6',
        (v) => v >= goal.torchRatioPerCore,
      );
      const one = find(rows, n, c, 'float32', 'ours-1thread');
      g.push({
        goal: `float32 (${n}, ${c}) the same in CPU time (less disturbed by others)`,
        value: one ? derive(rows, one).cpuRatioVsTorch : null,
        target: 'info',
        met: null,
      });
    }
    if (rows.some((r) => r.dtype === 'float64')) {
      push(
        `float64 (${n}, ${c}) forward ÷ torch 1 thread, ours ${threads} thread(s)`,
        at('float64', 'ours'),
        '≥ 0.5',
        (v) => v >= goal.torchRatioF64,
      );
      if (threads > 1) {
        // Reported, not a goal: the float64 goal compares ours (all threads) with torch on one.
        const v = at('float64', 'ours-1thread');
        g.push({ goal: `float64 (${n}, ${c}) forward ÷ torch, both 1 thread`, value: v, target: 'info', met: null });
      }
    }
  }
  push('float32 (4096, 1000) forward logits/s', big?.logitsPerS, '≥ 2e8', (v) => v >= goal.logitsPerS);
  const dBig = big ? derive(rows, big) : null;
  push('float32 (4096, 1000) speed-up over tfjs-cpu', dBig?.ratioVsTfjs, '≥ 30', (v) => v >= goal.tfjsSpeedup);
  const f32ours = rows.filter((r) => r.dtype === 'float32' && r.impl === 'ours' && !r.absent);
  const tfjsRatios = f32ours.map((r) => derive(rows, r).ratioVsTfjs).filter((v): v is number => v !== null);
  push(
    'float32 speed-up over tfjs-cpu, worst size',
    tfjsRatios.length ? Math.min(...tfjsRatios) : null,
    '≥ 30',
    (v) => v >= goal.tfjsSpeedup,
  );
  push(
    'float32 (1, 10) forward calls/s',
    find(rows, 1, 10, 'float32', 'ours')?.callsPerS,
    '≥ 5e6',
    (v) => v >= goal.callsPerS,
  );
  for (const [impl, factor, text] of [
    ['ours-steps', goal.stepsFactor, '≤ 1.5'],
    ['ours-grad', goal.gradFactor, '≤ 2'],
    // Probability targets: ÷ their own forward (report.ts derive), the gradient's goal too.
    ['ours-prob-grad', goal.gradFactor, '≤ 2'],
  ] as const) {
    for (const dtype of ['float32', 'float64'] as const) {
      const all = rows
        .filter((r) => r.dtype === dtype && r.impl === impl && !r.absent)
        .map((r) => ({ r, v: derive(rows, r).timeRatioVsForward }))
        .filter((x): x is { r: Row; v: number } => x.v !== null);
      if (!all.length) continue;
      const worst = all.reduce((a, b) => (b.v > a.v ? b : a));
      push(
        `${dtype} ${impl} time / forward time, worst size (${worst.r.n}, ${worst.r.c})`,
        worst.v,
        text,
        (v) => v <= factor,
      );
    }
  }
  for (const impl of ['ours-grad', 'ours-prob-grad'] as const) {
    for (const dtype of ['float32', 'float64'] as const) {
      // Reported, not a goal: the same ratio in CPU time, which other processes disturb far less.
      const all = rows
        .filter((r) => r.dtype === dtype && r.impl === impl && !r.absent)
        .map((r) => ({ r, v: derive(rows, r).cpuRatioVsForward }))
        .filter((x): x is { r: Row; v: number } => x.v !== null);
      if (!all.length) continue;
      const worst = all.reduce((a, b) => (b.v > a.v ? b : a));
      g.push({
        goal: `${dtype} ${impl} CPU time / forward CPU time, worst (${worst.r.n}, ${worst.r.c})`,
        value: worst.v,
        target: 'info',
        met: null,
      });
    }
  }
  for (const dtype of ['float32', 'float64'] as const) {
    // Reported, not a goal: the gradient when a forward on the same Prepared left the statistics.
    const all = rows
      .filter((r) => r.dtype === dtype && r.impl === 'ours-grad-known' && !r.absent)
      .map((r) => ({ r, v: derive(rows, r).timeRatioVsForward }))
      .filter((x): x is { r: Row; v: number } => x.v !== null);
    if (!all.length) continue;
    const worst = all.reduce((a, b) => (b.v > a.v ? b : a));
    g.push({
      goal: `${dtype} ours-grad-known (after a forward) / forward, worst (${worst.r.n}, ${worst.r.c})`,
      value: worst.v,
      target: 'info',
      met: null,
    });
  }
  for (const dtype of ['float32', 'float64'] as const) {
    const all = kinds.filter((k) => k.dtype === dtype && Number.isFinite(k.ratio));
    if (!all.length) continue;
    const worst = all.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    push(
      `${dtype} steps ÷ forward, any kind of request, worst (${worst.n}, ${worst.c}) ${worst.kind}`,
      worst.ratio,
      '≤ 1.5',
      (v) => v <= goal.stepsFactor,
    );
  }
  for (const r of rss) {
    push(
      `peak RSS (${r.n}, ${r.c}) ${r.dtype} / input size in ${r.dtype}`,
      r.ratio_vs_dtype_input,
      '< 3',
      (v) => v < goal.rssFactor,
    );
    if (r.dtype !== 'float64')
      push(
        `peak RSS (${r.n}, ${r.c}) ${r.dtype} / float64 source array`,
        r.ratio_vs_source_input,
        '< 3',
        (v) => v < goal.rssFactor,
      );
  }
  return g;
}
