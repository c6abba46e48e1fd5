/**
 * Losses computed by another library's own rule (Keras, tfjs, tfjs-layers, MLX, optax, tf.nn,
 * scikit-learn, oneflow), for the pairs whose number torch's cross-entropy does not give. Pure
 * TypeScript like the kernel beside it: the analysis composes it with detection. Errors come back
 * as values, in the library's words.
 */
import type { ErrorInfo } from '../types';
import { binaryLoss } from './binary';
import { libraryDisplayName } from './names';
import { LibraryRuleError, weightAndReduce } from './reduce';
import { perExampleLosses } from './rules';
import { sigmoidLoss } from './sigmoid';
import type { LibraryLossRequest, LibraryLossResult } from './types';

export * from './types';
export { broadcastShape } from './reduce';

export type LibraryOutcome = { ok: true; result: LibraryLossResult } | { ok: false; error: ErrorInfo };

const sigmoidRules: ReadonlySet<LibraryLossRequest['rule']> = new Set([
  'sigmoid_logits',
  'keras_bce',
  'tfjs_layers_bce',
  'mlx_bce',
  'optax_sigmoid',
  'tfjs_log_loss',
]);

const sameShape = (a: number[], b: number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** scikit-learn reads a 1-D (or one-column) y_pred as the probability of the second class. */
function binaryColumns(req: LibraryLossRequest): LibraryLossRequest {
  const shape = req.input.shape;
  if (!(shape.length === 1 || (shape.length === 2 && shape[1] === 1))) return req;
  const n = req.input.data.length;
  const data = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    data[2 * i] = 1 - req.input.data[i];
    data[2 * i + 1] = req.input.data[i];
  }
  return { ...req, input: { data, shape: [n, 2], integral: false } };
}

/** Checks the request against what the library accepts; throws LibraryRuleError in its words. */
function check(req: LibraryLossRequest): void {
  const lib = libraryDisplayName(req.library);
  const shape = req.input.shape;
  if (shape.length === 0)
    throw new LibraryRuleError('invalid_input_shape', `${lib} needs predictions of at least one dimension.`);
  const C = shape[shape.length - 1];
  const rows = C > 0 ? req.input.data.length / C : 0;
  if (req.targetKind === 'probabilities') {
    if (!sameShape(req.target.shape, shape))
      throw new LibraryRuleError(
        'target_shape_mismatch',
        `${lib}: the target's shape [${req.target.shape.join(', ')}] must match the predictions' shape [${shape.join(', ')}].`,
      );
    return;
  }
  if (req.target.data.length !== rows)
    throw new LibraryRuleError(
      'target_shape_mismatch',
      `${lib}: ${req.target.data.length} class indices for ${rows} rows of predictions of shape [${shape.join(', ')}].`,
    );
  if (req.rule === 'tfjs_layers_sparse') return;
  for (const t of req.target.data) {
    if (!Number.isInteger(t) || t < 0 || t >= C)
      throw new LibraryRuleError(
        'target_out_of_bounds',
        `${lib}: the class index ${t} is outside the valid range [0, ${C}).`,
      );
  }
}

/** The library's loss for the request, or its error. */
export function computeLibraryLoss(request: LibraryLossRequest): LibraryOutcome {
  try {
    if (
      request.rule === 'torch_bce' ||
      request.rule === 'torch_bce_logits' ||
      request.rule === 'torch_multilabel_soft_margin'
    )
      return { ok: true, result: binaryLoss(request) };
    if (sigmoidRules.has(request.rule)) return { ok: true, result: sigmoidLoss(request) };
    const req = request.rule === 'sklearn' ? binaryColumns(request) : request;
    check(req);
    const losses = perExampleLosses(req);
    const shape = req.input.shape.slice(0, -1);
    return { ok: true, result: weightAndReduce(losses, shape, req.weights, req.weightRule, req.reduction, req.dtype) };
  } catch (err) {
    if (err instanceof LibraryRuleError) return { ok: false, error: { code: err.code, message: err.message } };
    return { ok: false, error: { code: 'internal', message: (err as Error).message } };
  }
}
