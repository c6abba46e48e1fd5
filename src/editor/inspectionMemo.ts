import type { InspectParams, Inspection } from '../protocol/worker';

/** An inspect request as the host makes it: everything but the document's key and version. */
export type InspectRequest = Omit<InspectParams, 'key' | 'version'>;

/** How many answers one analysis keeps: a hover session touches a handful of rows. */
const maxAnswers = 64;

/**
 * The worker's answers to inspect requests about one analysed version of a document, so that
 * hovering again over a row (anywhere in it: the worker says which offsets name the same row)
 * is answered at once instead of by a round trip to a worker that may be busy. Only successful
 * answers without the pair's data are kept; an answer is a pure function of the analysed text and
 * the request, so it never goes stale while its analysis is current (a new version gets a new memo).
 */
export class InspectionMemo {
  private readonly byRequest = new Map<string, Inspection>();
  private readonly rows: { key: string; start: number; end: number; answer: Inspection }[] = [];

  /** The kept answer to `request`, if any. */
  get(request: InspectRequest): Inspection | undefined {
    if (request.withData) return undefined;
    const exact = this.byRequest.get(keyOf(request));
    if (exact || request.offset === undefined || request.element !== undefined) return exact;
    const key = keyOf(request, true);
    const offset = request.offset;
    return this.rows.find((r) => r.key === key && offset >= r.start && offset < r.end)?.answer;
  }

  /** Keeps the answer to `request` (nothing for requests with the pair's data). */
  set(request: InspectRequest, answer: Inspection): void {
    if (request.withData) return;
    if (this.byRequest.size >= maxAnswers) {
      this.byRequest.clear();
      this.rows.length = 0;
    }
    this.byRequest.set(keyOf(request), answer);
    if (request.offset !== undefined && request.element === undefined && answer.rowSpan)
      this.rows.push({ key: keyOf(request, true), ...answer.rowSpan, answer });
  }
}

/** The request as a string; `anyOffset` leaves the offset out (the key of a row's span). */
function keyOf(r: InspectRequest, anyOffset = false): string {
  return `${r.pairId}|${r.element ?? ''}|${anyOffset ? '*' : (r.offset ?? '')}|${r.topK ?? 0}|${r.targetLimit ?? 0}`;
}
