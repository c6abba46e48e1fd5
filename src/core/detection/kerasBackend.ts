/**
 * Keras 2's backend module (`from keras import backend as K`, `tf.keras.backend`) spelled out over
 * TensorFlow (docs/detection.md 3.223 and 4.62), and TensorFlow 1's graph-only spellings around a run:
 * - `K.sum`, `K.mean`, `K.log`, `K.exp` are `tf.reduce_sum`, `tf.reduce_mean`, `tf.math.log`, `tf.exp`
 *   with the same positional arguments (Keras 2.x / tf.keras up to TF 2.15, `keras/backend.py`);
 * - `K.epsilon()` is `numberSpellings.ts`'s `kerasEpsilon` (1e-7 unless the source sets it), the one
 *   rule for every spelling of it (evalSteps reads it first; this case is the same rule, not a second);
 * - `K.clip(x, lo, hi)` raises `hi` to `lo` when it is below it, then `tf.clip_by_value(x, lo, hi)`;
 * - `K.eval(t)` / `K.get_value(t)` of a loss, of losses or of arithmetic over them is that value;
 * - `t.eval()` / `t.eval(session=sess)` of a loss in a TensorFlow 1 program (a session or placeholders
 *   in the document) runs it in the session: the same value; with a `feed_dict` nothing is known.
 * Keras 3's `keras.backend` has none of these functions (`K.sum` raises there): that crash is the
 * code's own, never a second number.
 */
import { argumentNode, argumentValue, type CallNode, type Evaluation } from './evaluation';
import { numberOf } from './filledArrays';
import { clipped } from './clipSources';
import { kerasEpsilon } from './numberSpellings';
import { kindOf } from './tensorMath';
import { isTfTensor } from './tfLists';
import { libraryPath } from './recognisers/paths';
import { unknown, type Value } from './values';

/** A float TensorFlow tensor (or a list, which TensorFlow makes float32 when it holds a fraction). */
function clipOperand(v: Value): Extract<Value, { kind: 'array' }>['array'] | null {
  if (v.kind !== 'array' || !isTfTensor(v.array) || v.array.integerTensor || kindOf(v.array) === 'int') return null;
  return v.array;
}

/**
 * `keras.backend.epsilon()`, `keras.backend.clip(…)`, `keras.backend.eval(…)` / `get_value(…)` and
 * `tf.clip_by_value(…)`; undefined for every other path.
 */
export function kerasBackendCall(ev: Evaluation, raw: string, call: CallNode): Value | undefined {
  const path = libraryPath(raw);
  switch (path) {
    case 'keras.backend.epsilon':
      return kerasEpsilon(path, call.args.length + call.keywords.length, ev.ctx.text) ?? unknown;
    case 'keras.backend.eval':
    case 'keras.backend.get_value': {
      if (call.args.length !== 1 || call.keywords.length) return unknown;
      const v = argumentValue(ev, call, { position: 0 });
      if (v.kind === 'loss' || v.kind === 'scalar') return v;
      return v.kind === 'array' && isTfTensor(v.array) ? v : unknown;
    }
    case 'keras.backend.clip':
    case 'tf.clip_by_value': {
      const keras = path === 'keras.backend.clip';
      const a = clipOperand(argumentValue(ev, call, { position: 0, keyword: keras ? 'x' : 't' }));
      const loNode = argumentNode(call, { position: 1, keyword: keras ? 'min_value' : 'clip_value_min' });
      const hiNode = argumentNode(call, { position: 2, keyword: keras ? 'max_value' : 'clip_value_max' });
      if (!a || !loNode || !hiNode || call.args.length + call.keywords.length > 3) return unknown;
      const lo = numberOf(ev.evaluate(loNode));
      let hi = numberOf(ev.evaluate(hiNode));
      if (lo === null || hi === null) return unknown;
      // Keras raises the upper bound to the lower one; TensorFlow's own op requires lo <= hi.
      if (hi < lo) {
        if (!keras) return unknown;
        hi = lo;
      }
      const out = clipped(a, lo, hi);
      return out ? { kind: 'array', array: { ...out, container: a.container, tensorOf: 'tensorflow' } } : unknown;
    }
    default:
      return undefined;
  }
}

/** TensorFlow 1 marks: a graph run in a session, or fed through placeholders (as recognisers/softmaxFamily.ts). */
const tf1Marks =
  /\b(?:tf|v1)\.(?:Session|InteractiveSession|placeholder)\s*\(|\bsess\.run\s*\(|\bglobal_variables_initializer\b/;
const tf1Documents = new WeakMap<Evaluation['ctx'], boolean>();

/**
 * `loss.eval()` or `loss.eval(session=sess)` of a loss (or arithmetic over losses) in a TensorFlow 1
 * program: the run prints that value. Any other argument (a `feed_dict`) runs other numbers.
 */
export function sessionEval(ev: Evaluation, receiver: Value, name: string, call: CallNode): boolean {
  if (name !== 'eval' || (receiver.kind !== 'loss' && receiver.kind !== 'scalar')) return false;
  if (call.args.length || call.keywords.some((k) => k.name !== 'session')) return false;
  let tf1 = tf1Documents.get(ev.ctx);
  if (tf1 === undefined) {
    tf1 = tf1Marks.test(ev.ctx.document || ev.ctx.text);
    tf1Documents.set(ev.ctx, tf1);
  }
  return tf1;
}
