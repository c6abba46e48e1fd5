/**
 * A class of the file that subclasses one of torch's loss modules (docs/detection.md 3.370):
 * `class MaskedCE(nn.CrossEntropyLoss): def forward(self, pred, label, valid_len): … self.reduction =
 * 'none'; unweighted = super().forward(pred.permute(0, 2, 1), label) …` (d2l's MaskedSoftmaxCELoss and
 * its many copies). Calling an instance runs the subclass's `forward` (methods.ts); inside it
 * `super().forward(x, y)` / `super(MaskedCE, self).forward(x, y)` is the base module called with the
 * options it was built with (the constructor's arguments, when the class has no `__init__` of its
 * own) and the attributes the method set on `self` before the call (`self.reduction`,
 * `self.ignore_index`, `self.label_smoothing`), which torch's `forward` reads.
 *
 * Not modelled, so the loss is unverified with the reason, never another number: a class with an
 * `__init__` of its own (what it hands to the base is not followed), a weight set on `self`, an
 * attribute whose value is not known here.
 */
import { catalogue, recogniserForPath, type LossRecogniser } from './catalogue';
import type { CallNode, Evaluation } from './evaluation';
import { madeRecord, type ClassInfo } from './functions';
import { instanceOf } from './methods';
import { lossModule } from './recognise';
import type { Scopes } from './scope';
import type { CriterionValue, OptionValues, Value } from './values';

/** torch's loss modules a class of the file may subclass: their catalogue entries by class name. */
const torchModules = new Map(
  catalogue
    .filter((e) => e.form === 'module' && e.paths.some((p) => p.startsWith('torch.nn.')))
    .flatMap((e) => e.paths.filter((p) => p.startsWith('torch.nn.')).map((p) => [p, e] as const)),
);

/**
 * The torch loss module a class header's one base names (`nn.CrossEntropyLoss`,
 * `torch.nn.NLLLoss`, a bare `CrossEntropyLoss` imported from `torch.nn`), read through the names the
 * file binds; null for anything else.
 */
export function torchLossBase(bases: string, lookup: (name: string) => unknown): string | null {
  const b = bases.trim();
  if (!/^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/.test(b)) return null;
  const dot = b.indexOf('.');
  const head = dot < 0 ? b : b.slice(0, dot);
  const v = lookup(head) as Value | undefined;
  if (v?.kind !== 'namespace') return null;
  const path = dot < 0 ? v.path : `${v.path}${b.slice(dot)}`;
  const entry = recogniserForPath(path);
  return entry && torchModules.get(entry.paths[0]) === entry ? entry.id : null;
}

/**
 * `Net(…)` of a class of the file (methods.ts), and `MaskedCE(…)`: the instance, whose `forward` runs with `super()` standing for the base module built
 * with the call's arguments (the class has no `__init__` of its own), or with why its options are
 * not known (it has one).
 */
export function lossSubclassInstance(ev: Evaluation, info: ClassInfo, call: CallNode): Value {
  const v = instanceOf(info);
  const id = info.lossBase;
  // Not a loss subclass: the instance as methods.ts makes it.
  if (v.kind !== 'function' || !id) return v;
  const entry = catalogueEntry(id);
  let base: CriterionValue;
  if (info.ownInit) {
    const why = `\`${info.name}\` defines its own \`__init__\`, which is not followed`;
    base = { kind: 'criterion', recogniser: id, options: { unknown: why } };
  } else {
    const m = lossModule(ev, entry, call);
    if (m.kind !== 'criterion') return m;
    base = m;
  }
  return { kind: 'function', record: { ...v.record, superLoss: base } };
}

function catalogueEntry(id: string): LossRecogniser {
  return catalogue.find((e) => e.id === id) as LossRecogniser;
}

/** What `super` names inside a followed `forward` of such a class: called, it gives the base module. */
export function superFunction(base: CriterionValue): Value {
  return { kind: 'function', record: madeRecord('super', { superOf: base }) };
}

/** The `self.` attributes torch's loss modules read in `forward`, and the option each one is. */
const read: Record<string, keyof OptionValues> = {
  reduction: 'reduction',
  ignore_index: 'ignoreIndex',
  label_smoothing: 'labelSmoothing',
};

/**
 * `super()` / `super(Cls, self)`: the base module as `forward` sees it there, its options updated by
 * the `self.` attributes set so far; anything else (other arguments) is not followed.
 */
export function superCall(scopes: Scopes, base: CriterionValue, call: CallNode): Value {
  const args = call.args;
  const plain =
    call.keywords.length === 0 &&
    (args.length === 0 || (args.length === 2 && args[1].type === 'name' && args[1].id === 'self'));
  if (!plain) return { kind: 'unknown', lossy: false, why: '`super` is called with arguments not modelled' };
  const entry = catalogueEntry(base.recogniser);
  const options: OptionValues = { ...base.options };
  const notKnown = (attr: string): Value => ({
    ...base,
    options: { ...options, unknown: `the value of \`self.${attr}\` is not known here` },
  });
  for (const attr of ['weight', 'pos_weight']) if (scopes.lookup(`self.${attr}`) !== undefined) return notKnown(attr);
  for (const [attr, key] of Object.entries(read)) {
    const v = scopes.lookup(`self.${attr}`) as Value | undefined;
    if (v === undefined) continue;
    if (key === 'labelSmoothing' && !entry.options.labelSmoothing) continue;
    if (key === 'ignoreIndex' && !entry.options.ignoreIndex) continue;
    if (key === 'reduction' && v.kind === 'string' && ['mean', 'sum', 'none'].includes(v.value))
      options.reduction = v.value;
    else if (key === 'ignoreIndex' && v.kind === 'number' && Number.isInteger(v.value)) options.ignoreIndex = v.value;
    else if (key === 'labelSmoothing' && v.kind === 'number') options.labelSmoothing = v.value;
    else return notKnown(attr);
  }
  return { ...base, options };
}
