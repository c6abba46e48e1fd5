/**
 * The shape of a catalogue entry for a library other than torch. Such an entry reads its own
 * arguments and options (`from_logits`, `sample_weight`, `weights`, `labelSmoothing`, …) and makes
 * a pair whose number is computed by that library's rule (src/core/libraries), not by torch's
 * kernel. The catalogue (catalogue.ts) lists these entries beside torch's; recognise.ts calls
 * their hooks. This file imports no stage, so the entries can be read without the catalogue.
 */
import type { LibraryName } from '../../libraries/types';
import type { ArgumentSlot, CallNode, Evaluation } from '../evaluation';
import type { LossCallKind } from '../types';
import type { OptionValues, Value } from '../values';

/** How a call was matched to its entry: by its library path, or guessed from its name alone. */
export type Match = 'known' | 'guessed';

export interface LibraryHooks {
  /** Options a loss object keeps from its constructor (`CategoricalCrossentropy(from_logits=True)`). */
  moduleOptions?(ev: Evaluation, call: CallNode): OptionValues;
  /** The loss computed at `call`; `options` are the module's for a loss object, else empty. */
  apply(ev: Evaluation, call: CallNode, options: OptionValues, match: Match): Value;
}

/** What an entry computes, said in torch's terms (the catalogue's TorchMapping). */
export interface LibraryMapping {
  library: LibraryName;
  reads: 'logits' | 'log_probs';
  defaultReduction: 'mean' | 'sum' | 'none';
  classAxis: string;
  note: string;
}

/** A catalogue entry of another library (structurally a LossRecogniser of catalogue.ts). */
export interface LibraryEntry {
  id: string;
  /** Canonical paths after {@link import('./paths').libraryPath}. */
  paths: string[];
  form: 'module' | 'function';
  callKind: LossCallKind;
  input: ArgumentSlot;
  target: ArgumentSlot;
  options: Record<string, never>;
  batchOfOne: boolean;
  mapping: LibraryMapping;
  hooks: LibraryHooks;
}
