/**
 * The guards of the webview's messages: one schema per message type, built from ./schemaChecks.ts,
 * checking every field's type and bounds, rejecting unknown fields and capping every array.
 */
import {
  maxShownClasses,
  maxLossPage,
  maxHeatRows,
  maxHeatCols,
  maxPairs,
  maxWeights,
  maxDims,
  maxText,
  maxLabel,
  maxLiveNotes,
  maxLiveRows,
  maxOriginLosses,
  maxOriginNotes,
  maxNamedInvalidTargets,
  type PairItem,
  type PanelOptions,
  type PairSummary,
  type AssumedTorchNote,
  type PairOrigin,
  type ClassWindow,
  type SampleView,
  type ReductionTotals,
  type ReductionCard,
  type StabilityCard,
  type HeatMap,
  type PanelState,
  type InvalidTargets,
  type StaleNote,
  type LiveBadge,
} from './panelView';
import {
  isRecord,
  anyNumber,
  finite,
  int,
  bool,
  text,
  oneOf,
  nullable,
  optional,
  arrayOf,
  numbers,
  object,
  partial,
  sameLength,
  ascendingBelow,
  type Check,
  type Problem,
} from './schemaChecks';
import type {
  StopLiveStreamNotification,
  SelectLiveRowNotification,
  PanelStateNotification,
  HeatMapNotification,
  HeatMapRowsNotification,
  AheadNotification,
  HostToWebview,
  ControlOverrides,
  ReadyNotification,
  SelectPairNotification,
  SelectSampleNotification,
  SetClassWindowNotification,
  SetLossPageNotification,
  SetControlsNotification,
  ResetControlsNotification,
  SetShiftNotification,
  ShowCardsNotification,
  CopyNotification,
  OpenInEditorNotification,
  RevealInEditorNotification,
  WebviewToHost,
} from './webviewMessages';
import type { ShownSample } from './workerMethods';
import { hopTraceProblem } from './hops';

const shape = arrayOf(int(), maxDims);
const classIndex = int(0, 2 ** 31);
const reduction = oneOf('mean', 'sum', 'none');
const dtype = oneOf('float32', 'float64');
const dtypeChoice = oneOf('float32', 'float64', 'both');
const inputKind = oneOf('logits', 'log_probs');
const copyKind = oneOf('markdown', 'json', 'csv', 'pytorch');
const weights = arrayOf(finite(), maxWeights);

const pairItem = object<PairItem>({
  id: int(),
  label: text(maxLabel),
  line: int(1),
  loss: nullable(anyNumber),
  failed: bool,
  cell: optional(nullable(int())),
});

const panelOptions = object<PanelOptions>({
  reduction,
  dtype: dtypeChoice,
  labelSmoothing: finite(0, 1),
  ignoreIndex: int(Number.MIN_SAFE_INTEGER),
  inputKind,
  hasWeight: bool,
  weight: nullable(weights),
});

const pairOrigin = object<PairOrigin>({
  title: text(maxLabel),
  library: text(maxLabel),
  heading: text(maxText),
  loss: nullable(anyNumber),
  losses: numbers(maxOriginLosses),
  count: int(),
  notes: arrayOf(text(maxText), maxOriginNotes),
  torchSteps: bool,
  pytorch: bool,
  noCopy: nullable(text(maxText)),
});

const pairSummary = object<PairSummary>({
  id: int(),
  logitsName: nullable(text(maxLabel)),
  targetName: nullable(text(maxLabel)),
  inputShape: shape,
  targetShape: shape,
  lossShape: shape,
  // 0 for an empty input (`torch.zeros(0, 4)`): the pair comes with the kernel's error to show.
  N: int(0),
  C: int(0),
  S: int(0),
  targetKind: oneOf('indices', 'probabilities'),
  codeOptions: panelOptions,
  options: panelOptions,
  claimText: nullable(text(maxText)),
  claimOk: nullable(bool),
  codePrinted: optional(nullable(text(maxText))),
  origin: optional(nullable(pairOrigin)),
  assumedTorch: optional(nullable(object<AssumedTorchNote>({ mark: text(maxLabel), reason: text(maxText) }))),
});

const classWindow = object<ClassWindow>({ start: nullable(classIndex), size: int(1, maxShownClasses) });

const sampleView = object<SampleView>(
  {
    element: int(),
    position: shape,
    // An ignored sample's target is ignore_index (-100 by default), or the out-of-range value written.
    target: nullable(int(Number.MIN_SAFE_INTEGER)),
    ignored: bool,
    dtype,
    inputKind,
    labelSmoothing: finite(0, 1),
    C: int(1, 2 ** 31),
    classIndices: arrayOf(classIndex, maxShownClasses),
    window: classWindow,
    logits: numbers(maxShownClasses),
    max: nullable(anyNumber),
    argmax: nullable(classIndex),
    predicted: optional(nullable(classIndex)),
    shifted: nullable(numbers(maxShownClasses)),
    exp: nullable(numbers(maxShownClasses)),
    sumExp: nullable(anyNumber),
    logSumExp: nullable(anyNumber),
    softmax: numbers(maxShownClasses),
    logSoftmax: numbers(maxShownClasses),
    q: numbers(maxShownClasses),
    qLogP: numbers(maxShownClasses),
    weight: numbers(maxShownClasses),
    contributions: numbers(maxShownClasses),
    grad: nullable(numbers(maxShownClasses)),
    weightedTargetSum: anyNumber,
    gradDenominator: anyNumber,
    hiddenSoftmax: anyNumber,
    hiddenContribution: anyNumber,
    loss: anyNumber,
    denominatorShare: anyNumber,
  },
  (s, p) =>
    (!s.ignored && s.target !== null && !(s.target >= 0 && s.target < s.C) ? `${p}.target is not a class` : null) ??
    ascendingBelow(s.classIndices, s.C, `${p}.classIndices`) ??
    (typeof s.predicted === 'number' && s.predicted >= s.C ? `${p}.predicted is not below C` : null) ??
    sameLength(p, s.classIndices.length, {
      logits: s.logits,
      shifted: s.shifted,
      exp: s.exp,
      softmax: s.softmax,
      logSoftmax: s.logSoftmax,
      q: s.q,
      qLogP: s.qLogP,
      weight: s.weight,
      contributions: s.contributions,
      grad: s.grad,
    }),
);

const totals = object<ReductionTotals>({
  numerator: anyNumber,
  denominator: anyNumber,
  loss: anyNumber,
  torchPrint: text(maxText),
});

const reductionCard = object<ReductionCard>(
  {
    reduction,
    count: int(),
    ignoredCount: int(),
    offset: int(),
    pageSize: int(1, maxLossPage),
    losses: numbers(maxLossPage),
    ignored: arrayOf(bool, maxLossPage),
    dtype,
    float32: nullable(totals),
    float64: nullable(totals),
    invalid: optional(arrayOf(bool, maxLossPage)),
  },
  (r, p) =>
    sameLength(p, r.losses.length, { ignored: r.ignored, invalid: r.invalid ?? null }) ??
    (r.ignoredCount > r.count ? `${p}.ignoredCount exceeds count` : null),
);

const stabilityCard = object<StabilityCard>(
  {
    shift: finite(),
    classIndices: arrayOf(classIndex, maxShownClasses),
    shiftedLogits: numbers(maxShownClasses),
    naiveExp: numbers(maxShownClasses),
    naiveSum: anyNumber,
    naiveSoftmax: numbers(maxShownClasses),
    overflowCount: int(),
    stableMax: anyNumber,
    stableSumExp: anyNumber,
    stableSoftmax: numbers(maxShownClasses),
    closed: optional(bool),
  },
  (s, p) =>
    sameLength(p, s.classIndices.length, {
      shiftedLogits: s.shiftedLogits,
      naiveExp: s.naiveExp,
      naiveSoftmax: s.naiveSoftmax,
      stableSoftmax: s.stableSoftmax,
    }),
);

/**
 * Why `x` is not the shown part of a sample ({@link ShownSample}: a step table's columns and a
 * stability card over the same classes), or null: the worker's reply to the panel carries one.
 */
export function shownSampleProblem(x: unknown, p: string): Problem {
  return shownSample(x, p);
}

const shownSample = object<ShownSample>({ sample: sampleView, stability: nullable(stabilityCard) }, (v, q) =>
  v.stability && v.stability.classIndices.join() !== v.sample.classIndices.join()
    ? `${q}.stability does not show the sample's classes`
    : null,
);

function boundaries(values: number[], count: number, limit: number, p: string): Problem {
  if (values.length !== count + 1) return `${p} has ${values.length} entries, not ${count + 1}`;
  if (values[0] !== 0 || values[count] !== limit) return `${p} does not run from 0 to ${limit}`;
  for (let i = 1; i <= count; i++) if (!(values[i]! > values[i - 1]!)) return `${p} is not increasing`;
  return null;
}

const heatMap = object<HeatMap>(
  {
    rows: int(1, maxHeatRows),
    cols: int(1, maxHeatCols),
    values: numbers(maxHeatRows * maxHeatCols),
    rowStart: arrayOf(int(), maxHeatRows + 1),
    colStart: arrayOf(int(), maxHeatCols + 1),
    rowLoss: numbers(maxHeatRows),
    rowIgnored: arrayOf(bool, maxHeatRows),
    rowPick: arrayOf(int(), maxHeatRows),
    count: int(1),
    C: int(1, 2 ** 31),
  },
  (h, p) =>
    (h.values.length !== h.rows * h.cols ? `${p}.values has ${h.values.length} entries, not rows·cols` : null) ??
    boundaries(h.rowStart, h.rows, h.count, `${p}.rowStart`) ??
    boundaries(h.colStart, h.cols, h.C, `${p}.colStart`) ??
    sameLength(p, h.rows, { rowLoss: h.rowLoss, rowIgnored: h.rowIgnored, rowPick: h.rowPick }) ??
    (h.rowPick.some((e) => e >= h.count) ? `${p}.rowPick points past the last element` : null),
);

const panelState = object<PanelState>({
  locale: oneOf('en', 'ko'),
  documentLabel: text(maxLabel),
  status: oneOf('empty', 'computing', 'ready', 'error'),
  error: nullable(text(maxText)),
  decimals: int(0, 12),
  pairs: arrayOf(pairItem, maxPairs),
  selectedPairId: nullable(int()),
  pair: nullable(pairSummary),
  sample: nullable(sampleView),
  reduction: nullable(reductionCard),
  stability: nullable(stabilityCard),
  heatMap: nullable(heatMap),
  stale: optional(
    nullable(
      object<StaleNote>({
        line: int(1),
        cell: nullable(int()),
        opener: optional(nullable(oneOf('[', '(', '{'))),
        editLine: optional(nullable(int(1))),
      }),
    ),
  ),
  live: optional(
    object<LiveBadge>({
      frame: text(maxLabel),
      line: int(1),
      paused: bool,
      programLoss: nullable(
        object<NonNullable<LiveBadge['programLoss']>>({
          expression: text(maxLabel),
          value: anyNumber,
          dtype: text(maxLabel),
        }),
      ),
      agrees: nullable(bool),
      notes: arrayOf(text(maxText), maxLiveNotes),
      selection: optional(nullable(object<{ line: number; endLine: number }>({ line: int(1), endLine: int(1) }))),
      rows: optional(
        object<NonNullable<LiveBadge['rows']>>({
          total: int(),
          read: arrayOf(int(), maxLiveRows),
          failed: nullable(text(maxText)),
        }),
      ),
      stream: optional(
        object<NonNullable<LiveBadge['stream']>>({
          state: oneOf('streaming', 'done', 'cancelled', 'stale', 'failed'),
          kind: optional(oneOf('pull', 'reduce')),
          positions: int(),
          batchLoss: nullable(anyNumber),
          message: nullable(text(maxText)),
        }),
      ),
      rowTerm: optional(
        object<NonNullable<LiveBadge['rowTerm']>>({
          position: int(),
          program: anyNumber,
          ours: nullable(anyNumber),
          agrees: nullable(bool),
        }),
      ),
    }),
  ),
  invalidTargets: optional(
    nullable(
      object<InvalidTargets>({
        C: int(1, 2 ** 31),
        ignoreIndex: int(Number.MIN_SAFE_INTEGER),
        count: int(1),
        items: arrayOf(
          object<InvalidTargets['items'][number]>({ element: int(), value: finite() }),
          maxNamedInvalidTargets,
        ),
        selected: nullable(finite()),
      }),
    ),
  ),
});

const controlOverrides = partial<ControlOverrides>({
  reduction,
  dtype: dtypeChoice,
  labelSmoothing: finite(0, 1),
  ignoreIndex: int(Number.MIN_SAFE_INTEGER),
  weight: nullable(weights),
  inputKind,
});

const typeField =
  (t: string): Check =>
  (x, p) =>
    x === t ? null : `${p} is not ${t}`;

const webviewToHostSchemas: { [K in WebviewToHost['type']]: Check } = {
  ready: object<ReadyNotification>({ type: typeField('ready') }),
  selectPair: object<SelectPairNotification>({ type: typeField('selectPair'), id: int() }),
  selectSample: object<SelectSampleNotification>({ type: typeField('selectSample'), element: int() }),
  selectLiveRow: object<SelectLiveRowNotification>({ type: typeField('selectLiveRow'), position: int() }),
  stopLiveStream: object<StopLiveStreamNotification>({ type: typeField('stopLiveStream') }),
  setClassWindow: object<SetClassWindowNotification>({
    type: typeField('setClassWindow'),
    start: nullable(classIndex),
  }),
  setLossPage: object<SetLossPageNotification>({ type: typeField('setLossPage'), offset: int() }),
  setControls: object<SetControlsNotification>({ type: typeField('setControls'), controls: controlOverrides }),
  resetControls: object<ResetControlsNotification>({ type: typeField('resetControls') }),
  setShift: object<SetShiftNotification>({ type: typeField('setShift'), shift: finite(-3e38, 3e38) }),
  showCards: object<ShowCardsNotification>({ type: typeField('showCards'), stability: bool }),
  copy: object<CopyNotification>({ type: typeField('copy'), kind: copyKind }),
  revealInEditor: object<RevealInEditorNotification>({ type: typeField('revealInEditor'), id: int() }),
  openInEditor: object<OpenInEditorNotification>({ type: typeField('openInEditor') }),
};

/** The changes a snapshot is made ahead for: the same checks as the messages the webview posts for them. */
const aheadChange: Check = (x, p) => {
  if (!isRecord(x)) return `${p} is not an object`;
  if (x.type === 'selectSample') return webviewToHostSchemas.selectSample(x, p);
  if (x.type === 'setControls') return webviewToHostSchemas.setControls(x, p);
  return `${p} is not a sample or option change`;
};

const byReference = (m: { heatMapId?: number; state: PanelState }, p: string): Problem =>
  m.heatMapId !== undefined && m.state.heatMap !== null ? `${p}.state.heatMap is sent by reference too` : null;

const hostToWebviewSchemas: { [K in HostToWebview['type']]: Check } = {
  state: object<PanelStateNotification>(
    {
      type: typeField('state'),
      state: panelState,
      heatMapId: optional(int(1)),
      trace: optional(hopTraceProblem),
      context: optional(int(1)),
      seen: optional(int()),
    },
    byReference,
  ),
  ahead: object<AheadNotification>(
    {
      type: typeField('ahead'),
      from: int(1),
      at: int(),
      on: aheadChange,
      state: panelState,
      heatMapId: optional(int(1)),
      context: int(1),
    },
    byReference,
  ),
  heatMap: object<HeatMapNotification>({ type: typeField('heatMap'), id: int(1), heatMap }),
  heatMapRows: object<HeatMapRowsNotification>(
    {
      type: typeField('heatMapRows'),
      id: int(1),
      base: int(1),
      rowLoss: numbers(maxHeatRows),
      rowIgnored: arrayOf(bool, maxHeatRows),
      rowPick: arrayOf(int(), maxHeatRows),
    },
    // Whether they fit the base's rows is checked where the base is (webview/heatMaps.ts).
    (m, p) =>
      (m.base === m.id ? `${p}.base is its own id` : null) ??
      sameLength(p, m.rowLoss.length, { rowIgnored: m.rowIgnored, rowPick: m.rowPick }),
  ),
};

/**
 * Checks a message against its type's schema. Only own names count (`toString` or `__proto__`
 * as a type or a field is unknown, never Object.prototype's), and a check that throws on a
 * hostile value is a rejection, not an exception for the caller.
 */
function dispatch(schemas: Record<string, Check>, x: unknown): Problem {
  try {
    if (!isRecord(x)) return 'message is not an object';
    const type = x.type;
    const check = typeof type === 'string' && Object.hasOwn(schemas, type) ? schemas[type] : undefined;
    if (!check) return `unknown message type ${JSON.stringify(String(type).slice(0, 40))}`;
    return check(x, type as string);
  } catch (err) {
    return `message could not be checked: ${err instanceof Error ? err.message : String(err)}`.slice(0, 200);
  }
}

/** Why `x` is not a valid {@link WebviewToHost} message, or null when it is one. */
export function webviewToHostProblem(x: unknown): Problem {
  return dispatch(webviewToHostSchemas, x);
}

/** Why `x` (already passed through {@link decodeHostMessage}) is not a valid {@link HostToWebview} message, or null. */
export function hostToWebviewProblem(x: unknown): Problem {
  return dispatch(hostToWebviewSchemas, x);
}

/** Guard for messages arriving at the host. */
export function isWebviewToHost(x: unknown): x is WebviewToHost {
  return webviewToHostProblem(x) === null;
}

/** Guard for messages arriving at the webview (after {@link decodeHostMessage}). */
export function isHostToWebview(x: unknown): x is HostToWebview {
  return hostToWebviewProblem(x) === null;
}
