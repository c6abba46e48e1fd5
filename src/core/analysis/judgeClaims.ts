/**
 * Judging claims once losses are known: each claim binding's subject is evaluated against the
 * computed pairs and compared with the claimed number at the precision it was printed with. A
 * claim about something not computed is unverified, with the reason; never judged on a guess.
 */
import { judgeClaim } from '../detection/claims';
import { evaluateScalar, type PairOutcome, type ScalarExpr } from '../detection/scalars';
import type { ClaimAnalysis, ClaimBinding, Finding, PairAnalysis } from '../detection/types';
import type { DType } from '../types';

/** The value a binding claims about, or why there is none. */
function subjectValue(
  binding: ClaimBinding,
  pairs: PairAnalysis[],
): {
  computed: number | null;
  dtype: DType;
  reason?: string;
  alternative?: number;
  versions?: { value: number; version: string }[];
  /** The value is another library's rule run in float32 by assumption (judgeClaim's `assumedFloat32`). */
  assumedFloat32?: true;
} {
  const subject = binding.subject;
  const withAssumed = <T extends object>(r: T, ids: number[]): T & { assumedFloat32?: true } =>
    ids.length > 0 && ids.every((i) => assumedFloat32(pairs[i])) ? { ...r, assumedFloat32: true } : r;
  switch (subject.kind) {
    case 'pair': {
      const pair = pairs[subject.pairId];
      if (pair.unverified !== undefined) {
        const versions = pair.versions
          ?.map((v) => ({
            value:
              subject.rows === undefined
                ? versionValue(v, subject.element)
                : v.losses.length === subject.rows
                  ? v.losses[subject.element as number]
                  : undefined,
            version: v.version,
          }))
          .filter((v): v is { value: number; version: string } => v.value !== undefined);
        return versions && versions.length === pair.versions?.length && versions.length > 0
          ? { computed: null, dtype: pair.dtype, reason: pair.unverified, versions }
          : { computed: null, dtype: pair.dtype, reason: pair.unverified };
      }
      if (pair.error)
        return { computed: null, dtype: pair.dtype, reason: `the loss call fails: ${pair.error.message}` };
      if (subject.element !== undefined && subject.rows !== undefined) {
        // One row's loss before the reduction, read from the per-row losses when they are that many.
        const rows = pair.losses;
        if (!rows || rows.length !== subject.rows)
          return { computed: null, dtype: pair.dtype, reason: 'the claim lists more values than the loss has' };
        const alt =
          pair.alternative?.losses.length === subject.rows ? pair.alternative.losses[subject.element] : undefined;
        return withAssumed(
          alt === undefined
            ? { computed: rows[subject.element], dtype: pair.dtype }
            : { computed: rows[subject.element], dtype: pair.dtype, alternative: alt },
          [subject.pairId],
        );
      }
      if (subject.element !== undefined) {
        // One value of the output: the loss itself when it is a single number.
        const v = pair.loss !== null ? (subject.element === 0 ? pair.loss : undefined) : pair.losses?.[subject.element];
        if (v === undefined)
          return { computed: null, dtype: pair.dtype, reason: 'the claim lists more values than the loss has' };
        const alt = pair.alternative;
        const other = alt
          ? alt.loss !== null
            ? subject.element === 0
              ? alt.loss
              : undefined
            : alt.losses[subject.element]
          : undefined;
        return withAssumed(
          other === undefined
            ? { computed: v, dtype: pair.dtype }
            : { computed: v, dtype: pair.dtype, alternative: other },
          [subject.pairId],
        );
      }
      // One example's loss printed as `tensor([0.0506])`: the one value of the vector.
      if (pair.loss === null && pair.losses?.length === 1) return { computed: pair.losses[0], dtype: pair.dtype };
      if (pair.loss === null)
        return { computed: null, dtype: pair.dtype, reason: "the loss is not a single number (reduction='none')" };
      const other = pair.alternative?.loss ?? undefined;
      return withAssumed(
        other === undefined
          ? { computed: pair.loss, dtype: pair.dtype }
          : { computed: pair.loss, dtype: pair.dtype, alternative: other },
        [subject.pairId],
      );
    }
    case 'scalar': {
      const outcome = (id: number): PairOutcome | undefined => pairs[id];
      const value = subject.expr === null ? null : evaluateScalar(subject.expr, outcome);
      if (value === null)
        return { computed: null, dtype: subject.dtype, reason: 'an operand of this expression is not known' };
      return withAssumed({ computed: value, dtype: subject.dtype }, subject.expr ? exprPairs(subject.expr) : []);
    }
    case 'unknown':
      return { computed: null, dtype: 'float32', reason: subject.reason };
  }
}

/**
 * A pair another library's rule computed in float32 by one version's rule (a Keras loss object: Keras 3
 * casts to float32, tf.keras 2 keeps numpy's float64): a long printed number that is not a float32
 * value shows the program ran in float64, and our float32 number cannot judge its last digits.
 */
function assumedFloat32(pair: PairAnalysis | undefined): boolean {
  return !!pair && pair.dtype === 'float32' && pair.dtypeAssumed === true;
}

/** The pairs an expression reads. */
function exprPairs(e: ScalarExpr): number[] {
  switch (e.op) {
    case 'loss':
    case 'reduce':
      return [e.pair];
    case 'arith':
      return [...exprPairs(e.left), ...exprPairs(e.right)];
    case 'neg':
    case 'exp':
    case 'log':
    case 'round':
      return exprPairs(e.operand);
    default:
      return [];
  }
}

/** One version's value for a claim on a pair (one element, or the single loss); undefined when it has none. */
function versionValue(v: { loss: number | null; losses: number[] }, element: number | undefined): number | undefined {
  if (element === undefined) return v.loss ?? undefined;
  return v.loss !== null ? (element === 0 ? v.loss : undefined) : v.losses[element];
}

/**
 * Below this magnitude a float32 loss is rounding noise of the kernel that computed it: a row whose
 * logits are near 100 has float32 steps of 2⁻¹⁷ · 100 ≈ 8e-6 (docs/detection.md 3.112).
 */
const residueBound = 2 ** -16;
const nearZero = (v: number): boolean => Number.isFinite(v) && Math.abs(v) < residueBound;
const residueReason =
  'both the claim and the computed loss are float32 residues next to zero, whose digits are the rounding of the kernel that printed them';

/** Judges every binding; attributes claims to their pairs; returns the claims and their findings. */
export function judgeClaims(
  bindings: ClaimBinding[],
  pairs: PairAnalysis[],
): { claims: ClaimAnalysis[]; findings: Finding[] } {
  const claims: ClaimAnalysis[] = [];
  const findings: Finding[] = [];
  bindings.forEach((b, id) => {
    const { claim } = b;
    const { computed, dtype, reason, alternative, versions, assumedFloat32: assumed } = subjectValue(b, pairs);
    const judge = (value: number) => judgeClaim(claim, value, dtype, assumed);
    const result: ClaimAnalysis = {
      id,
      line: b.line,
      start: b.start,
      end: b.end,
      text: claim.text,
      value: claim.value,
      decimals: claim.decimals,
      pairId: b.pairId,
      expression: b.expression,
      status: 'unverified',
      computed,
      expected: null,
      source: b.source,
    };
    if (b.cell !== undefined) result.cell = b.cell;
    const finding = (f: Omit<Finding, 'line' | 'start' | 'end' | 'claimId'>): void => {
      const full: Finding = { ...f, line: b.line, start: b.start, end: b.end, claimId: id };
      if (b.pairId !== null) full.pairId = b.pairId;
      if (b.cell !== undefined) full.cell = b.cell;
      findings.push(full);
    };
    if (computed !== null) {
      // Another version of the library computes `alternative`: a claim of either number holds.
      const first = judge(computed);
      const verdict =
        !first.holds && alternative !== undefined && judge(alternative).holds ? { ...first, holds: true } : first;
      result.status = verdict.holds ? 'holds' : 'wrong';
      result.expected = verdict.expected;
      // Old torch's scaled print is judged with float32 slack (3.334): beside zero that slack says nothing either.
      const judged = !verdict.holds || (claim.scale !== undefined && claim.value !== computed);
      const residue = judged && dtype === 'float32' && nearZero(claim.value) && nearZero(computed);
      if (residue) {
        // A printed residue beside an exact zero (`-1.4305e-06` where the row's loss is 0): its digits
        // are the rounding of the library's float32 kernel on large logits, not a number to judge.
        result.status = 'unverified';
        result.reason = residueReason;
        finding({
          code: 'claim_unverified',
          severity: 'hint',
          message: `Cannot verify the claimed ${claim.text}: ${residueReason}.`,
        });
      } else if (!verdict.holds) {
        const f: Omit<Finding, 'line' | 'start' | 'end' | 'claimId'> = {
          code: 'claim_mismatch',
          severity: 'warning',
          message: `Claimed ${claim.text}, but ${b.expression ?? 'the loss'} is ${verdict.expected} (${computed}).`,
        };
        if (b.fixable)
          f.fix = {
            start: claim.start,
            end: claim.end,
            newText: verdict.expected,
            title: `Replace with ${verdict.expected}`,
          };
        finding(f);
      }
    } else if (versions && versions.every((v) => !judgeClaim(claim, v.value, dtype).holds)) {
      // The library's versions disagree and none of them prints this number: wrong whichever runs.
      const verdicts = versions.map((v) => ({ ...v, verdict: judgeClaim(claim, v.value, dtype) }));
      result.status = 'wrong';
      result.computed = verdicts[0].value;
      // What each version prints, so every surface shows both: `7.7125 (tf.keras 2) / 8.0590 (Keras 3)`.
      result.expected = verdicts.map((v) => `${v.verdict.expected} (${v.version})`).join(' / ');
      result.reason = reason;
      const each = verdicts.map((v) => `${v.version} gives ${v.verdict.expected}`).join(', ');
      finding({
        code: 'claim_mismatch',
        severity: 'warning',
        message: `Claimed ${claim.text}, but ${each}: no version prints it.`,
      });
    } else {
      result.reason = reason;
      finding({
        code: 'claim_unverified',
        severity: 'hint',
        message: `Cannot verify the claimed ${claim.text}: ${reason}.`,
      });
    }
    if (b.pairId !== null) pairs[b.pairId].claims.push(id);
    claims.push(result);
  });
  return { claims, findings };
}
