/**
 * classy_vision's `SoftTargetCrossEntropyLoss` (docs/detection.md 3.128, 4.29), built three ways:
 * `SoftTargetCrossEntropyLoss(ignore_index=…, reduction=…, normalize_targets=…)`,
 * `SoftTargetCrossEntropyLoss.from_config({...})` and the registry's
 * `build_loss({"name": "soft_target_cross_entropy", ...})`, then called as (output, target).
 * Its rule, said in torch's terms:
 * - integer targets of shape (N,) become one-hot rows of the output's C classes;
 * - entries equal to `ignore_index` are set to 0 (the rest are the target as given, multi-hot too);
 * - with `normalize_targets` (the default "count_based"; None or False turn it off) each row is divided
 *   by `eps + its sum`, eps float32's machine epsilon;
 * - each row's loss is −Σ target · log_softmax(output);
 * - the mean divides the sum by the rows that keep at least one entry; classy_vision has no other
 *   reduction (its constructor raises NotImplementedError).
 * That is torch's cross-entropy with probability targets (the rows computed as above, in float32),
 * over the kept rows (a row with every entry ignored adds 0 and is not counted).
 */
import type { CallNode, Evaluation } from '../evaluation';
import type { OptionValues, Value } from '../values';
import { withArray, type ArrayValue } from '../values';
import { asName, optionAt } from './common';
import type { LibraryEntry } from './entry';
import { entryOf, integral, type Reading } from './softmaxCopies';

const registryName = 'soft_target_cross_entropy';
const eps = 2 ** -23;
const optionNames = ['ignore_index', 'reduction', 'normalize_targets'];

/** A dict's or keyword's value as an option (null for None, undefined when absent). */
function option(v: Value | null | undefined): Value | null | undefined {
  if (v === undefined || v === null) return v;
  return v.kind === 'unknown' && v.none ? null : v;
}

/** The options a loss is built with: a config dict (`from_config`, `build_loss`) or the constructor's keywords. */
function builtWith(ev: Evaluation, call: CallNode): OptionValues {
  const callee =
    call.callee.type === 'attribute' ? call.callee.name : call.callee.type === 'name' ? call.callee.id : '';
  const raw: Record<string, Value | null> = {};
  if (callee === 'from_config' || callee === 'build_loss') {
    const config = call.args[0] ? ev.evaluate(call.args[0]) : null;
    if (config?.kind !== 'dict' || config.complete === false) return { extra: { config: null } };
    const name = config.entries.get('name');
    if (callee === 'build_loss' && (name?.kind !== 'string' || name.value !== registryName))
      return { extra: { notThis: null } };
    for (const key of optionNames) {
      const v = option(config.entries.get(key));
      if (v !== undefined) raw[key] = v;
    }
    return { extra: raw };
  }
  optionNames.forEach((key, i) => {
    const v = option(optionAt(ev, call, { position: i, keyword: key }));
    if (v !== undefined) raw[key] = v;
  });
  return { extra: raw };
}

/** Whether `normalize_targets` divides: true, false, or null when not known. */
function normalizes(v: Value | null | undefined): boolean | null {
  if (v === undefined) return true;
  if (v === null) return false;
  if (v.kind === 'string') return v.value.length > 0;
  if (v.kind === 'number') return v.value !== 0;
  return null;
}

/** The targets as classy_vision rewrites them, and the rows the mean counts (float32). */
function softTargets(
  target: ArrayValue,
  n: number,
  c: number,
  ignore: number,
  normalize: boolean,
): { rows: Float64Array; kept: number[] } | string {
  const d = target.data!;
  const rows = new Float64Array(n * c);
  const kept: number[] = [];
  for (let r = 0; r < n; r++) {
    let valid = 0;
    for (let k = 0; k < c; k++) {
      const v = target.shape.length === 1 ? (d[r] === k ? 1 : 0) : d[r * c + k];
      if (v === ignore) continue;
      rows[r * c + k] = Math.fround(v);
      valid++;
    }
    if (valid > 0) kept.push(r);
    if (!normalize) continue;
    let sum = 0;
    for (let k = 0; k < c; k++) sum = Math.fround(sum + rows[r * c + k]);
    const by = Math.fround(eps + sum);
    for (let k = 0; k < c; k++) rows[r * c + k] = Math.fround(rows[r * c + k] / by);
  }
  return { rows, kept };
}

function read(raw: Record<string, Value | null>, input: ArrayValue, target: ArrayValue): Reading {
  const fail = (why: string): Reading => ({ options: { reduction: 'mean' }, input, target, unverified: why });
  if ('notThis' in raw) return fail("the registry's `build_loss` builds another loss for this config name");
  if ('config' in raw) return fail('the config dict of this loss is not known here');
  const ignoreValue = raw.ignore_index;
  const ignore = ignoreValue === undefined ? -100 : ignoreValue?.kind === 'number' ? ignoreValue.value : null;
  const reduction = asName(raw.reduction, (p) => p) ?? 'mean';
  const normalize = normalizes(raw.normalize_targets);
  if (ignore === null || normalize === null) return fail('an option of this loss is not known here');
  if (reduction !== 'mean')
    return fail(`classy_vision's loss has only reduction 'mean' (${JSON.stringify(reduction)}: NotImplementedError)`);
  if (input.shape.length !== 2 || !input.data)
    return fail(`only 2-D outputs are modelled (these are ${input.shape.length}-D)`);
  if (input.transform !== null) return fail('the output went through a softmax step first: not modelled');
  const [n, c] = input.shape;
  const oneD = target.shape.length === 1 && target.shape[0] === n;
  if (!target.data || target.transform !== null || !(oneD || (target.shape.length === 2 && target.shape[1] === c)))
    return fail("the targets are not known here, or not of the output's shape");
  if (oneD && (!integral(target) || target.data.some((v) => v < 0 || v >= c)))
    return fail('integer targets become one-hot rows: these are not class indices of the output');
  const soft = softTargets(target, n, c, ignore, normalize !== false);
  if (typeof soft === 'string') return fail(soft);
  const { rows, kept } = soft;
  const dtype = input.dtype ?? 'float32';
  const asFloat = (a: ArrayValue, data: Float64Array, rowsN: number): ArrayValue =>
    withArray(a, { data, shape: [rowsN, c], integerTensor: false, dtype, derived: true });
  if (kept.length === n || kept.length === 0) {
    const why = kept.length === 0 ? 'every row is ignored (classy_vision gives 0)' : undefined;
    return {
      options: { reduction },
      input: asFloat(input, input.data, n),
      target: asFloat(target, rows, n),
      ...(why ? { unverified: why } : {}),
    };
  }
  const x = new Float64Array(kept.length * c);
  const t = new Float64Array(kept.length * c);
  kept.forEach((r, i) => {
    x.set(input.data!.subarray(r * c, r * c + c), i * c);
    t.set(rows.subarray(r * c, r * c + c), i * c);
  });
  return { options: { reduction }, input: asFloat(input, x, kept.length), target: asFloat(target, t, kept.length) };
}

const classyEntry = entryOf({
  id: 'classy_vision.losses.SoftTargetCrossEntropyLoss',
  paths: [
    'classy_vision.losses.SoftTargetCrossEntropyLoss',
    'classy_vision.losses.SoftTargetCrossEntropyLoss.from_config',
    'classy_vision.losses.build_loss',
  ],
  library: 'classy_vision',
  form: 'module',
  callKind: 'CrossEntropyLoss',
  input: { position: 0, keyword: 'output' },
  target: { position: 1, keyword: 'target' },
  options: optionNames,
  defaultReduction: 'mean',
  classAxis: 'dim 1 of 2-D outputs, as torch',
  note: "classy_vision's SoftTargetCrossEntropyLoss is torch's cross-entropy with probability targets: integer targets become one-hot rows, entries equal to ignore_index become 0, with normalize_targets each row is divided by (float32 eps + its sum), and the mean divides by the rows that keep an entry",
  read,
});

export const classyEntries: LibraryEntry[] = [
  { ...classyEntry, hooks: { ...classyEntry.hooks, moduleOptions: (ev, call) => builtWith(ev, call) } },
];
