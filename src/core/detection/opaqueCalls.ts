/**
 * Calls detection does not model (a project's loss builder, `_loss(cfg)(x, t)`), kept beside the
 * unknown value each returns: where the call is, what it called and with what. A test that asserts
 * such a result equal to a library loss on the same arrays says what it is (recognisers/assertedEqual.ts,
 * docs/detection.md 3.86). Kept here, by the value's identity, so that values.ts stays a plain domain.
 */
import type { Value } from './values';

export interface OpaqueCallOf {
  start: number;
  end: number;
  /** The callee as written (at most 80 characters). */
  calleeText: string;
  /** The callee's value (its identity says it was not bound again), or null when not given. */
  callee: Value | null;
  /** The positional arguments' values. */
  args: Value[];
  keywords: number;
}

const calls = new WeakMap<Value, OpaqueCallOf>();

/** A fresh unknown value standing for the result of `call`. */
export function opaqueResult(lossy: boolean, call: OpaqueCallOf): Value {
  const v: Value = { kind: 'unknown', lossy };
  calls.set(v, call);
  return v;
}

/** The call a value is the unknown result of, if any. */
export function opaqueCallOf(v: Value | null | undefined): OpaqueCallOf | undefined {
  return v ? calls.get(v) : undefined;
}
