/**
 * Keeping results while the user types: when a version does not parse (one unclosed bracket makes
 * the rest of a Python file one unfinished expression), the last version that parsed still knows
 * every pair, claim and finding. This module maps that analysis through the edits made since and
 * merges it with what the current version recovered, marking what is kept as stale. Pure: no
 * `vscode`, so vitest checks it.
 */
import type { ArraySite, ClaimAnalysis, DocumentAnalysis, Finding, PairAnalysis } from '../core/detection';
import type { TextEdit } from '../protocol/worker';

/** The finding code of text detection could not read. */
export const parseErrorCode = 'parse_error';

/** The first finding that says the text does not parse, if any. */
export function parseErrorOf(analysis: DocumentAnalysis): Finding | undefined {
  return analysis.findings.find((f) => f.code === parseErrorCode);
}

/** What a merged analysis keeps from the last version that parsed. */
export interface StaleParts {
  /** Ids (in the merged analysis) of pairs, claims and findings taken from the last good version. */
  pairs: Set<number>;
  claims: Set<number>;
  /** Where the current version stops parsing (1-based line; cell index in notebooks). */
  waitingFor: { line: number; cell?: number | undefined; message: string };
}

/**
 * Maps offsets through edits applied in order (each edit's offset refers to the text after the
 * previous ones). A span keeps covering whatever replaced its own text; a span whose text was
 * deleted entirely collapses and is dropped by the caller.
 */
export class OffsetMap {
  constructor(private readonly edits: readonly TextEdit[]) {}

  /** Where the start of a span moves: text inserted at the start goes before it. */
  start(offset: number): number {
    let p = offset;
    for (const e of this.edits) {
      if (p < e.offset) continue;
      if (p >= e.offset + e.length) p += e.text.length - e.length;
      else p = e.offset;
    }
    return p;
  }

  /** Where the end of a span moves: text inserted at the end stays after it. */
  end(offset: number): number {
    let p = offset;
    for (const e of this.edits) {
      if (p <= e.offset) continue;
      if (p >= e.offset + e.length) p += e.text.length - e.length;
      else p = e.offset + e.text.length;
    }
    return p;
  }

  /** Whether any edit changed text inside [start, end) (an insertion strictly inside counts). */
  touches(start: number, end: number): boolean {
    let s = start;
    let t = end;
    for (const e of this.edits) {
      const hit = e.length > 0 ? e.offset < t && e.offset + e.length > s : e.offset > s && e.offset < t;
      if (hit) return true;
      s = this.startThrough(s, e);
      t = this.endThrough(t, e);
    }
    return false;
  }

  private startThrough(p: number, e: TextEdit): number {
    if (p < e.offset) return p;
    return p >= e.offset + e.length ? p + e.text.length - e.length : e.offset;
  }

  private endThrough(p: number, e: TextEdit): number {
    if (p <= e.offset) return p;
    return p >= e.offset + e.length ? p + e.text.length - e.length : e.offset + e.text.length;
  }
}

/** How the merge finds positions in the current text. */
export interface MergeContext {
  /**
   * Maps a span of the good version to the current text, or undefined when it cannot be kept (its
   * text is gone, or its notebook cell changed). `touched` says whether its own text was edited.
   */
  map(span: {
    start: number;
    end: number;
    cell?: number | undefined;
  }): { start: number; end: number; touched: boolean } | undefined;
  /** The 1-based line of an offset of the current text (in the item's cell for notebooks). */
  lineAt(offset: number, cell: number | undefined): number;
}

/** An OffsetMap over a text document as a {@link MergeContext}. */
export function textMergeContext(edits: readonly TextEdit[], lineAt: (offset: number) => number): MergeContext {
  const m = new OffsetMap(edits);
  return {
    map(span) {
      const start = m.start(span.start);
      const end = m.end(span.end);
      if (end <= start && span.end > span.start) return undefined;
      return { start, end, touched: m.touches(span.start, span.end) };
    },
    lineAt: (offset) => lineAt(offset),
  };
}

/**
 * A notebook as a {@link MergeContext}: an item is kept only when its cell's source is what it was
 * in the good version (cells are compared by index, so only when the cell count is unchanged).
 */
export function notebookMergeContext(
  goodSources: readonly string[],
  currentSources: readonly string[],
  lineAt: (offset: number, cell: number) => number,
): MergeContext {
  const same = goodSources.length === currentSources.length;
  return {
    map(span) {
      if (!same || span.cell === undefined || goodSources[span.cell] !== currentSources[span.cell]) return undefined;
      return { start: span.start, end: span.end, touched: false };
    },
    lineAt: (offset, cell) => lineAt(offset, cell ?? 0),
  };
}

function maxId(items: readonly { id: number }[]): number {
  let m = -1;
  for (const i of items) if (i.id > m) m = i.id;
  return m;
}

function overlaps(a: { start: number; end: number; cell?: number | undefined }, b: typeof a): boolean {
  return a.cell === b.cell && a.start < b.end && b.start < a.end;
}

/**
 * The current analysis `fresh` (which has a parse error) merged with `good`, the analysis of the
 * last version that parsed: `fresh`'s own pairs, claims and findings stay as they are; every pair,
 * claim and finding of `good` that `fresh` does not have again (same place) is added, mapped to
 * the current text, with ids that do not collide, and listed in the returned `stale` sets.
 */
export function mergeStale(
  fresh: DocumentAnalysis,
  good: DocumentAnalysis,
  ctx: MergeContext,
): { analysis: DocumentAnalysis; stale: StaleParts } {
  const parseError = parseErrorOf(fresh);
  const waitingFor = {
    line: parseError?.line ?? 1,
    cell: parseError?.cell,
    message: parseError?.message ?? '',
  };
  const arrayBase = maxId(fresh.arrays) + 1;
  const pairBase = maxId(fresh.pairs) + 1;
  const claimBase = maxId(fresh.claims) + 1;

  // Arrays of the good version, mapped: old id → the mapped site.
  const arrays = new Map<number, ArraySite>();
  for (const a of good.arrays) {
    const span = ctx.map(a);
    const literal = ctx.map({ start: a.literalStart, end: a.literalEnd, cell: a.cell });
    if (!span || !literal) continue;
    const site: ArraySite = {
      ...a,
      id: a.id + arrayBase,
      start: span.start,
      end: span.end,
      literalStart: literal.start,
      literalEnd: literal.end,
      line: ctx.lineAt(span.start, a.cell),
      endLine: ctx.lineAt(span.end, a.cell),
    };
    delete site.data;
    arrays.set(a.id, site);
  }

  // A pair is "the same" in both versions when its call (or logits literal) starts at the same place.
  const anchorOf = (p: PairAnalysis, sites: (id: number) => { start: number } | undefined) =>
    `${p.cell ?? ''}:${p.call ? `c${p.call.start}` : `l${sites(p.logits.id)?.start ?? -1}`}`;
  const freshSites = new Map(fresh.arrays.map((a) => [a.id, a]));
  const freshAnchors = new Set(fresh.pairs.map((p) => anchorOf(p, (id) => freshSites.get(id))));
  const pairIds = new Map<number, number>();
  const stalePairs: PairAnalysis[] = [];
  for (const p of good.pairs) {
    const logits = arrays.get(p.logits.id);
    const target = arrays.get(p.target.id);
    if (!logits || !target) continue;
    let call = p.call;
    if (call) {
      const span = ctx.map(call);
      if (!span) continue;
      call = { ...call, start: span.start, end: span.end, line: ctx.lineAt(span.start, call.cell) };
    }
    const moved: PairAnalysis = {
      ...p,
      id: p.id + pairBase,
      call,
      logits: { ...p.logits, id: logits.id, line: logits.line },
      target: { ...p.target, id: target.id, line: target.line },
      claims: [],
    };
    delete moved.request;
    if (freshAnchors.has(anchorOf(moved, (id) => (id === logits.id ? logits : undefined)))) continue;
    pairIds.set(p.id, moved.id);
    stalePairs.push(moved);
  }

  // Detection recovers the statements after an unclosed bracket, so the current version may read a
  // claim again but, with its pair's literal broken, only as unverified: the last good judgement of
  // that claim (its pair kept stale) says more, and replaces it.
  const freshClaims = new Map(fresh.claims.map((c) => [`${c.cell ?? ''}:${c.start}`, c]));
  const replaced = new Set<number>();
  const claimIds = new Map<number, number>();
  const staleClaims: ClaimAnalysis[] = [];
  for (const c of good.claims) {
    const span = ctx.map(c);
    if (!span || span.touched) continue;
    if (c.pairId !== null && !pairIds.has(c.pairId)) continue;
    const again = freshClaims.get(`${c.cell ?? ''}:${span.start}`);
    if (again) {
      if (again.pairId !== null || again.status !== 'unverified' || c.pairId === null) continue;
      replaced.add(again.id);
    }
    const moved: ClaimAnalysis = {
      ...c,
      id: c.id + claimBase,
      start: span.start,
      end: span.end,
      line: ctx.lineAt(span.start, c.cell),
      pairId: c.pairId === null ? null : (pairIds.get(c.pairId) ?? null),
    };
    claimIds.set(c.id, moved.id);
    staleClaims.push(moved);
  }
  for (const p of stalePairs) {
    const old = good.pairs.find((g) => g.id + pairBase === p.id);
    p.claims = (old?.claims ?? []).flatMap((id) => (claimIds.has(id) ? [claimIds.get(id)!] : []));
  }

  const freshFindings = new Set(
    fresh.findings.flatMap((f) =>
      f.claimId !== undefined && replaced.has(f.claimId) ? [] : [`${f.code}:${f.cell ?? ''}:${f.start}`],
    ),
  );
  const staleFindings: Finding[] = [];
  for (const f of good.findings) {
    if (f.code === parseErrorCode) continue;
    // A finding about a pair or claim goes with it.
    if (f.pairId !== undefined && !pairIds.has(f.pairId)) continue;
    if (f.claimId !== undefined && !claimIds.has(f.claimId)) continue;
    const span = ctx.map(f);
    if (!span) continue;
    if (freshFindings.has(`${f.code}:${f.cell ?? ''}:${span.start}`)) continue;
    const moved: Finding = { ...f, start: span.start, end: span.end, line: ctx.lineAt(span.start, f.cell) };
    if (f.pairId !== undefined) moved.pairId = pairIds.get(f.pairId)!;
    if (f.claimId !== undefined) moved.claimId = claimIds.get(f.claimId)!;
    // A fix whose own text was edited would replace the wrong characters.
    if (f.fix) {
      const fix = ctx.map(f.fix);
      if (fix && !fix.touched) moved.fix = { ...f.fix, start: fix.start, end: fix.end };
      else delete moved.fix;
    }
    staleFindings.push(moved);
  }

  // Sites: the stale pairs' own, unless a fresh pair uses a site at the same place; the current
  // version's other sites only where no kept site is (an unclosed bracket leaves them nameless).
  const used = new Set(stalePairs.flatMap((p) => [p.logits.id, p.target.id]));
  const freshUsed = new Set(fresh.pairs.flatMap((p) => [p.logits.id, p.target.id]));
  const keptStale = [...arrays.values()].filter(
    (s) => !fresh.arrays.some((f) => freshUsed.has(f.id) && overlaps(f, s)) || used.has(s.id),
  );
  const keptFresh = fresh.arrays.filter((f) => freshUsed.has(f.id) || !keptStale.some((s) => overlaps(f, s)));
  const byStart = <T extends { start: number; cell?: number | undefined }>(a: T, b: T) =>
    (a.cell ?? 0) - (b.cell ?? 0) || a.start - b.start;

  const sites = [...keptStale, ...keptFresh].sort(byStart);
  const siteStart = new Map(sites.map((s) => [s.id, s.start]));
  const pairStart = (p: PairAnalysis) => p.call?.start ?? siteStart.get(p.logits.id) ?? 0;
  return {
    analysis: {
      language: fresh.language,
      arrays: sites,
      pairs: [...fresh.pairs, ...stalePairs].sort(
        (a, b) => (a.cell ?? 0) - (b.cell ?? 0) || pairStart(a) - pairStart(b),
      ),
      claims: [...fresh.claims.filter((c) => !replaced.has(c.id)), ...staleClaims].sort(byStart),
      findings: [
        ...fresh.findings.filter((f) => f.claimId === undefined || !replaced.has(f.claimId)),
        ...staleFindings,
      ].sort(byStart),
    },
    stale: {
      pairs: new Set(stalePairs.map((p) => p.id)),
      claims: new Set(staleClaims.map((c) => c.id)),
      waitingFor,
    },
  };
}
