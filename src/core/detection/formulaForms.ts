/**
 * The catalogue ids of the hand-written formulas (recognisers/formulas.ts), kept apart from values.ts so that
 * the list can grow without that file's length.
 */
export type FormulaForm =
  | 'formula.log_sum_exp_minus_pick'
  | 'formula.logsumexp_minus_pick'
  | 'formula.neg_log_softmax_pick'
  | 'formula.log_softmax_pick'
  | 'formula.nll_of_probs'
  | 'formula.mean_nll_of_written_probs'
  | 'formula.nll_worked_by_hand'
  | 'formula.onehot_sum_log_softmax'
  | 'formula.onehot_sum_log_probs'
  | 'formula.cross_entropy_bits'
  | 'formula.binary_log_loss'
  | 'formula.binary_log_likelihood'
  | 'formula.binary_logits_loss'
  | 'formula.mean_neg_log_sigmoid';
