/**
 * Peak resident memory of one computeLoss on a large input, measured in a fresh Node process
 * (the bench's own heap would hide it): `node dist/bench.js --rss-probe NxC dtype` prints one
 * JSON line. The baseline is the RSS after start-up, before the input exists; the peak is the
 * process's high-water mark, so it counts the input's source array (float64, as a parsed literal
 * is held), the dtype copy `prepare` makes and everything the kernel allocates.
 * The high-water mark is Linux's VmHWM where there is a /proc: getrusage's maxRSS is kept across
 * execve, so a child spawned by a bench that already holds hundreds of MB would report the
 * parent's size (seen: 543 MiB instead of 138 MiB). Elsewhere maxRSS is used, and the probe is
 * run before the bench allocates anything to keep that inherited figure small.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { computeLoss } from '../../src/core/kernel/index';
import type { DType } from '../../src/core/types';
import { makeData, makeRequest } from './data';

export interface RssFigures {
  n: number;
  c: number;
  dtype: DType;
  /** RSS before the input is allocated. */
  baseline_bytes: number;
  /** RSS once the float64 source array and targets exist. */
  after_input_bytes: number;
  /** Peak RSS of this process (VmHWM, else getrusage maxRSS). */
  peak_bytes: number;
  /** peak − baseline: what the input and the kernel cost. */
  peak_above_baseline_bytes: number;
  /** peak − after_input: what the kernel alone added on top of the source. */
  kernel_extra_bytes: number;
  /** N·C·4 (float32) or N·C·8 (float64): the input in the working dtype. */
  input_bytes_dtype: number;
  /** N·C·8: the float64 source array the request carries. */
  input_bytes_source: number;
  ratio_vs_dtype_input: number;
  ratio_vs_source_input: number;
  loss: number;
  peak_source: 'VmHWM' | 'maxRSS';
}

/** Peak RSS in bytes and where the figure came from. */
function peakRss(): { bytes: number; source: 'VmHWM' | 'maxRSS' } {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return { bytes: Number(m[1]) * 1024, source: 'VmHWM' };
  } catch {
    // No procfs (macOS, Windows): fall through.
  }
  return { bytes: process.resourceUsage().maxRSS * 1024, source: 'maxRSS' };
}

/** Runs in the probe child: measures and prints the figures. */
export function runProbe(n: number, c: number, dtype: DType): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const baseline = process.memoryUsage().rss;
  const data = makeData(n, c);
  const req = makeRequest(data, dtype);
  const afterInput = process.memoryUsage().rss;
  const outcome = computeLoss(req);
  const { bytes: peak, source } = peakRss();
  const dtypeBytes = n * c * (dtype === 'float32' ? 4 : 8);
  const sourceBytes = n * c * 8;
  const figures: RssFigures = {
    n,
    c,
    dtype,
    baseline_bytes: baseline,
    after_input_bytes: afterInput,
    peak_bytes: peak,
    peak_above_baseline_bytes: peak - baseline,
    kernel_extra_bytes: peak - afterInput,
    input_bytes_dtype: dtypeBytes,
    input_bytes_source: sourceBytes,
    ratio_vs_dtype_input: (peak - baseline) / dtypeBytes,
    ratio_vs_source_input: (peak - baseline) / sourceBytes,
    loss: outcome.ok ? outcome.result.loss : NaN,
    peak_source: source,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** Runs the probe in a child process of this same bundle. */
export function probeInChild(bundle: string, n: number, c: number, dtype: DType): RssFigures | { absent: string } {
  const r = spawnSync(process.execPath, ['--expose-gc', bundle, '--rss-probe', `${n}x${c}`, dtype], {
    encoding: 'utf8',
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as RssFigures;
  } catch {
    return { absent: `probe failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-2).join(' ')}` };
  }
}
