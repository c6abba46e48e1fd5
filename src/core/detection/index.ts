/**
 * Detection: text → arrays, logits/target pairs (each the kernel request the code's loss is),
 * claims bound to what they claim, and findings. It never runs the kernel: src/core/analysis
 * composes detection and kernel into the DocumentAnalysis the editor, worker and CLI show.
 * Pure TypeScript (no editor or Node imports). Never throws on bad input (whatever cannot be
 * read becomes a finding), except {@link DetectionCancelled} when `isCancelled` says so.
 *
 * The pipeline, one file per stage: tokenizer.ts (per-language statements) → statementReader.ts
 * with pythonStatements.ts / jsStatements.ts / statements.ts → evaluate.ts (values: arrays.ts,
 * scalarValues.ts) → catalogue.ts + recognise.ts + formulas.ts (loss recognisers) → pairInput.ts
 * (kernel requests) → claimBinding.ts (claims) → findings in context.ts.
 */
import { DetectionCancelled } from './cancellation';
import { DetectionContext, type Producer } from './context';
import { callTakingBoth, callsTakingTwo, criterionWithOptions, inferPairs, siteValue, unreadLossCall } from './infer';
import { readJson } from './json';
import { withoutOutputArrows } from './outputArrows';
import { bindOutputs } from './claimBinding';
import { bindLoopOutputs } from './loopOutputs';
import {
  dehashed,
  destarred,
  hasCommentExamples,
  hasHashedSessions,
  hasTemplatePages,
  templatePages,
} from './commentExamples';
import { docExampleBodies, maskedCodeBlocks } from './codeBlocks';
import { readTestOutputs } from './testOutputs';
import { doctestGroups, gluedPrompts, maskedDoctests } from './doctest';
import { ipythonAsConsole } from './ipythonPrompts';
import { markdownBlocks, maskedCode, type MarkdownBlock } from './markdown';
import { tabPrograms } from './frameworkTabs';
import { parseNotebook } from './notebook';
import { readCells } from './notebookCells';
import { lostBodyIndentation } from './pageIndentation';
import { withoutLineGutters } from './lineGutters';
import { bindPageCells } from './pageCells';
import { pageGroups, quotedOutputGroups } from './pageOutputs';
import { readProblemPages } from './problemPages';
import { readProseClaims } from './proseClaims';
import { readVectorComments } from './vectorComments';
import { readWorkedLogs } from './workedLogs';
import { readWorkedLse } from './workedLse';
import { stringPrograms } from './jsCodeStrings';
import { hasJsxTextChildren, jsxTextChildren } from './jsxText';
import { StatementReader } from './statementReader';
import { Lang } from './tokens';
import { startComputeBudget } from './computeBudget';
import { defaultMaxLiteralElements, type AnalyzeOptions, type Detection, type NotebookCellInput } from './types';
import type { DType } from '../types';

export * from './types';
export { DetectionCancelled } from './cancellation';
export { judgeClaim, claimInComment, claimInOutput, pythonRepr } from './claims';
export { catalogue, type LossRecogniser, type TorchMapping } from './catalogue';
export { formulaCatalogue as formulaMappings } from './recognisers/formulas';
export { problemPageCatalogue as problemPageMappings } from './problemPages';

/** Languages this module reads. */
export type DetectionLanguage = 'python' | 'javascript' | 'typescript' | 'json' | 'markdown' | 'ipynb';

const byLanguageId: Record<string, DetectionLanguage> = {
  python: 'python',
  jupyter: 'ipynb',
  ipynb: 'ipynb',
  'jupyter-notebook': 'ipynb',
  markdown: 'markdown',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  typescript: 'typescript',
  typescriptreact: 'typescript',
  json: 'json',
  jsonc: 'json',
};

const byExtension: Record<string, DetectionLanguage> = {
  py: 'python',
  pyw: 'python',
  pyi: 'python',
  ipynb: 'ipynb',
  md: 'markdown',
  markdown: 'markdown',
  mdx: 'markdown',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascript',
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  json: 'json',
  jsonc: 'json',
};

/**
 * The language of a document from its language id, else its file name; plain text (a page saved
 * as `.txt`, no name) is Python unless its lines read as JavaScript rather than Python.
 */
export function detectLanguage(opts: AnalyzeOptions, text?: string): DetectionLanguage {
  if (opts.languageId && byLanguageId[opts.languageId]) return byLanguageId[opts.languageId];
  const m = /\.([A-Za-z0-9]+)$/.exec(opts.fileName ?? '');
  if (m && byExtension[m[1].toLowerCase()]) return byExtension[m[1].toLowerCase()];
  return text !== undefined && readsAsJavaScript(text) ? 'javascript' : 'python';
}

/** The language was read from the text itself (page text), not from a language id or an extension. */
function sniffed(opts: AnalyzeOptions): boolean {
  if (opts.languageId && byLanguageId[opts.languageId]) return false;
  const m = /\.([A-Za-z0-9]+)$/.exec(opts.fileName ?? '');
  return !(m && byExtension[m[1].toLowerCase()]);
}

/**
 * Page text read as JavaScript: a declaration at the margin starts a statement, whatever the prose
 * above it left open (`…입니다.` / `const probs = …` would otherwise read as `입니다.const`). In a
 * program `x.\nconst y` is a syntax error, so no valid reading is lost.
 */
function declarationStarts(text: string): number[] {
  const starts: number[] = [];
  for (const m of text.matchAll(/^(?:const|let|var|import|export|function|class) /gm))
    if (m.index) starts.push(m.index);
  return starts;
}

/** Lines only JavaScript has (declarations, ES imports, console.log) outnumber Python-only ones. */
function readsAsJavaScript(text: string): boolean {
  let js = 0;
  let py = 0;
  for (const m of text.matchAll(
    /^[ \t]*(?:(const|let|var) [\w$]+\s*=|import .* from ['"]|console\.log\(|(import [\w.]+(?: as \w+)?\s*$|from [\w.]+ import |def \w+\(|print\())/gm,
  ))
    if (m[2] !== undefined) py++;
    else js++;
  return js > 0 && js > py;
}

function contextFor(opts: AnalyzeOptions): DetectionContext {
  startComputeBudget();
  return new DetectionContext({
    dtypeOverride: opts.dtypeOverride,
    maxElements: opts.maxElements ?? defaultMaxLiteralElements,
    isCancelled: opts.isCancelled,
  });
}

/** A stage that failed unexpectedly: the document keeps what was found, with a finding. */
function stopped(ctx: DetectionContext, err: unknown, what: string): void {
  if (DetectionCancelled.is(err)) throw err;
  ctx.addFinding({
    code: 'parse_error',
    severity: 'error',
    start: 0,
    end: 0,
    message: `${what}: ${(err as Error).message}`,
  });
}

/**
 * Detects pairs and claims in one document. Notebook (.ipynb) positions are relative to each
 * cell's source, with `cell` set. Throws only {@link DetectionCancelled}.
 */
export function detectText(text: string, opts: AnalyzeOptions = {}): Detection {
  const language = detectLanguage(opts, text);
  const ctx = contextFor(opts);
  ctx.document = text;
  const reader = new StatementReader(ctx);
  try {
    switch (language) {
      case 'python': {
        const before = ctx.producers.length;
        readPython(reader, withoutFenceMarkers(text));
        const producers = ctx.producers.slice(before);
        readDoctests(reader, text);
        if (hasHashedSessions(text)) readDoctests(reader, dehashed(text));
        const bodies = docExampleBodies(text);
        const examples = ctx.producers.length;
        if (bodies.length) reader.read(maskedCodeBlocks(text, bodies), Lang.Python);
        readTestOutputs(ctx, text, bodies, ctx.producers.slice(examples));
        readPageOutputs(reader, text, producers);
        if (hasCommentExamples(text)) readMarkdown(reader, destarred(text));
        break;
      }
      case 'javascript':
      case 'typescript':
        reader.read(text, Lang.Js, undefined, sniffed(opts) ? declarationStarts(text) : undefined);
        if (hasCommentExamples(text)) readMarkdown(reader, destarred(text));
        if (hasTemplatePages(text)) readMarkdown(reader, templatePages(text));
        // Programs kept in strings, each read on its own: Python (3.395), a function in a template (3.419).
        stringPrograms(ctx, text, (program) => readPython(new StatementReader(ctx), program));
        // A React page's text and listings, written as template literals that are an element's child.
        if (hasJsxTextChildren(text)) {
          const page = jsxTextChildren(text);
          if (page.codeEnds.length) readPython(reader, page.code, page.codeEnds);
          readWorkedLogs(ctx, page.text);
        }
        break;
      case 'json':
        ctx.begin(text);
        readJson(ctx, text, 0, text.length, ctx.lines);
        break;
      case 'markdown':
        // Values the page's sentences and tables state about the losses above them.
        readProseClaims(ctx, text, readMarkdown(reader, text));
        break;
      case 'ipynb': {
        let parsed;
        try {
          parsed = parseNotebook(text);
        } catch (err) {
          ctx.begin(text);
          const at = /position (\d+)/.exec((err as Error).message);
          const offset = at ? Number(at[1]) : 0;
          ctx.addFinding({
            code: 'parse_error',
            severity: 'error',
            start: offset,
            end: offset + 1,
            message: `Not a readable notebook: ${(err as Error).message}`,
          });
          break;
        }
        readCells(reader, parsed.cells, parsed.language === 'js' ? Lang.Js : Lang.Python);
        break;
      }
    }
    // Exercise pages (problem statements with worked examples), in page text, Markdown and docstrings.
    if (language === 'python' || language === 'markdown')
      readProblemPages(ctx, text, language === 'markdown' || sniffed(opts) ? 'page' : 'code');
    // Per-row losses worked out in a comment block beside one loss (3.290).
    if (language === 'python' || language === 'markdown') readVectorComments(ctx, text);
    // Negative logs worked by hand in page text (never in code: a string there is not prose).
    if (language === 'markdown' || (language === 'python' && sniffed(opts))) {
      readWorkedLogs(ctx, text);
      // Softmax cross-entropies worked from their scores, `-x[c] + log Σ exp(x)` with numbers (3.322).
      readWorkedLse(ctx, text);
    }
    // The output lines under a module-level loop, line k to pass k, once the replay made every pass's pair (3.406).
    if (language === 'python' || language === 'markdown') bindLoopOutputs(ctx, text);
  } catch (err) {
    stopped(ctx, err, 'Analysis stopped');
  }
  return finish(reader, language, () => text);
}

/**
 * Detects pairs and claims in notebook cells, read in order as one program (a pair may span
 * cells); each code cell's stored outputs are claims for the values it prints.
 */
export function detectNotebook(
  cells: NotebookCellInput[],
  opts: Omit<AnalyzeOptions, 'fileName' | 'languageId'> & { language?: 'python' | 'javascript' } = {},
): Detection {
  const ctx = contextFor(opts);
  const reader = new StatementReader(ctx);
  try {
    readCells(reader, cells, opts.language === 'javascript' ? Lang.Js : Lang.Python);
  } catch (err) {
    stopped(ctx, err, 'Analysis stopped');
  }
  return finish(reader, 'ipynb', () => cells.map((c) => c.source).join('\n'));
}

/** Python text, with the bodies a copied page left at their `def`'s column read one level deeper. */
function readPython(reader: StatementReader, text: string, segmentEnds?: number[]): void {
  const shifts = lostBodyIndentation(text);
  reader.ctx.indentShift = shifts.length ? new Map(shifts) : null;
  try {
    // A page's `print(x) --> 0.83` shows the output after an arrow Python cannot have (outputArrows.ts).
    reader.read(withoutOutputArrows(text), Lang.Python, undefined, segmentEnds);
  } finally {
    reader.ctx.indentShift = null;
  }
}

/** The console examples of a Python file's docstrings: one more program, each prompt with its output. */
function readDoctests(reader: StatementReader, source: string): void {
  // IPython's `In [n]:` / `...:` / `Out[n]:` are the same sessions with other markers.
  const page = ipythonAsConsole(source) ?? source;
  // Most files have no prompt at all: one substring scan instead of two regular expressions.
  if (!page.includes('>>>')) return;
  // A page flattened from HTML may glue the sentence before a <pre> to its first prompt (`of
  // output.>>> a = ...`, `。>>> pred = ...`, `设置为 False:>>> pred = ...`): that punctuation, and
  // the prose before it on the line, are spaces here (gluedPrompts).
  const text = gluedPrompts(page);
  const groups = doctestGroups(text);
  if (groups.length === 0) return;
  const ctx = reader.ctx;
  const before = ctx.producers.length;
  const shifts = groups.flatMap((g) => g.shifts);
  ctx.indentShift = shifts.length ? new Map(shifts) : null;
  try {
    reader.read(maskedDoctests(text, groups), Lang.Python);
  } finally {
    ctx.indentShift = null;
  }
  const producers = ctx.producers.slice(before);
  let next = 0;
  for (const g of groups) {
    while (next < producers.length && producers[next].start < g.codeStart) next++;
    const own: Producer[] = [];
    while (next < producers.length && producers[next].start < g.codeEnd) own.push(producers[next++]);
    if (g.outputs.length) bindOutputs(ctx, own, g.outputs);
  }
}

/**
 * Page text read as Python may keep a Markdown fence's backticks, sometimes with the first line of
 * code on the fence line itself (```` ```cce = Loss() ````): the backticks become spaces (offsets
 * unchanged), so that line is code and a language name is a harmless bare name. Python 3 has no
 * backticks, and inside a string they change nothing.
 */
function withoutFenceMarkers(text: string): string {
  if (!text.includes('```') || !/^[ \t]*```/m.test(text)) return text;
  return text.replace(/^([ \t]*)(`{3,})/gm, (_m, indent: string, ticks: string) => indent + ' '.repeat(ticks.length));
}

/**
 * Output pasted into Python text without comment markers (a rendered notebook page, a console
 * repr under its expression): each group's prints, and its last bare expression when that ends
 * the code, are bound to the lines below it, as a notebook cell's are.
 */
function readPageOutputs(reader: StatementReader, text: string, producers: Producer[]): void {
  const groups = pageGroups(text);
  let next = 0;
  for (const g of groups) {
    while (next < producers.length && producers[next].start < g.codeStart) next++;
    const own: Producer[] = [];
    while (next < producers.length && producers[next].start < g.codeEnd) own.push(producers[next++]);
    const shown = own.filter((p, i) => p.kind === 'print' || i === own.length - 1);
    if (shown.length && g.outputs.length) bindOutputs(reader.ctx, shown, g.outputs);
  }
}

/** The producers (in document order) outside the blocks an earlier tab's program already bound. */
function unbound(producers: Producer[], code: MarkdownBlock[], bound: Set<MarkdownBlock>): Producer[] {
  if (!bound.size) return producers;
  let k = 0;
  return producers.filter((p) => {
    while (k < code.length && code[k].end <= p.start) k++;
    return !(k < code.length && code[k].start <= p.start && bound.has(code[k]));
  });
}

/** The quoted output blocks of Markdown code (pageOutputs.ts quotedOutputGroups), bound to the prints above each. */
function readQuotedOutputs(reader: StatementReader, code: string, producers: Producer[]): void {
  let next = 0;
  for (const g of quotedOutputGroups(code)) {
    while (next < producers.length && producers[next].start < g.codeStart) next++;
    const own: Producer[] = [];
    while (next < producers.length && producers[next].start < g.codeEnd) own.push(producers[next++]);
    const shown = own.filter((p) => p.kind === 'print');
    if (shown.length) bindOutputs(reader.ctx, shown, g.outputs);
  }
}

function readMarkdown(reader: StatementReader, page: string): MarkdownBlock[] {
  const ctx = reader.ctx;
  // IPython sessions (in a fence or in the page text) read as the `>>> ` sessions they are.
  // A listing copied with its line numbers glued to the code (lineGutters.ts): read without them.
  const text = withoutLineGutters(ipythonAsConsole(page) ?? page);
  const blocks = markdownBlocks(text);
  for (const [lang, which] of [
    [Lang.Python, 'python'],
    [Lang.Js, 'js'],
  ] as const) {
    const all = blocks.filter((b) => b.language === which);
    if (!all.length) continue;
    // d2l's framework tabs: each tab its own program; a block two tabs share has its outputs bound once.
    const bound = new Set<MarkdownBlock>();
    const programs = (lang === Lang.Python && tabPrograms(text, all)) || [all];
    for (const code of programs) {
      if (code !== programs[0]) ctx.tabStart = ctx.pairs.length;
      const before = ctx.producers.length;
      const masked = maskedCode(text, code);
      const ends = code.flatMap((b) => (b.breaks ? [...b.breaks, b.end] : [b.end]));
      if (lang === Lang.Python) readPython(reader, masked, ends);
      else reader.read(masked, lang, undefined, ends);
      // Producers come in document order, as blocks do: one pass hands each block (or console
      // prompt) its own, so many blocks cost no more than one.
      const producers = ctx.producers.slice(before);
      // Values pasted under the prints as a bare triple-quoted string, inside the fence.
      if (lang === Lang.Python) readQuotedOutputs(reader, masked, unbound(producers, code, bound));
      let next = 0;
      const within = (start: number, end: number): Producer[] => {
        while (next < producers.length && producers[next].start < start) next++;
        const own: Producer[] = [];
        while (next < producers.length && producers[next].start < end) own.push(producers[next++]);
        return own;
      };
      for (const b of code) {
        if (bound.has(b)) continue;
        bound.add(b);
        if (b.pyconGroups) {
          for (const g of b.pyconGroups) bindOutputs(ctx, within(g.codeStart, g.codeEnd), g.outputs);
        } else {
          const own = within(b.start, b.end);
          if (b.outputs.length)
            bindOutputs(
              ctx,
              own.filter((p) => p.kind === 'print' || p === own[own.length - 1]),
              b.outputs,
            );
        }
      }
      // A notebook page's cells whose outputs no block took (pageCells.ts, docs §3.130); a tabbed page has none.
      if (lang === Lang.Python && programs.length === 1) bindPageCells(ctx, text, producers, code);
    }
    ctx.tabStart = null;
  }
  // Console sessions outside any fence (indented in an HTML page or a list): the blocks blanked out
  // so that no fenced prompt is read twice.
  if (text.includes('>>>') && /^[ \t]*>>>/m.test(gluedPrompts(text))) {
    let outside = '';
    let at = 0;
    for (const b of blocks) {
      outside += text.slice(at, b.start) + text.slice(b.start, b.end).replace(/[^\r\n]/g, ' ');
      at = b.end;
    }
    readDoctests(reader, outside + text.slice(at));
  }
  const json = blocks.filter((b) => b.language === 'json');
  if (json.length) {
    ctx.begin(text);
    for (const b of json) readJson(ctx, text, b.start, b.end, ctx.lines);
  }
  return text === page ? blocks : [];
}

/** Pairs inferred from names, standalone comment claims, then the detection result. */
function finish(reader: StatementReader, language: DetectionLanguage, documentText: () => string): Detection {
  const ctx = reader.ctx;
  try {
    let numpyOnly: boolean | null = null;
    // Made once per document (a notebook's text is joined from its cells): each proposal only looks up.
    let text: string | undefined;
    const whole = () => (text ??= documentText());
    let calls: Map<string, string> | undefined;
    let built: string | null | undefined, unread: string | null | undefined;
    // A document that calls a loss has its data flow written out: names add nothing but guesses.
    const proposals = ctx.pairs.length ? [] : inferPairs(ctx.sites, ctx.usedSites, whole);
    for (const found of proposals) {
      let fallback: DType = 'float32';
      if (language === 'python' && found.logits.dtype === null) {
        if (numpyOnly === null) {
          const t = whole();
          numpyOnly = /\bnumpy\b/.test(t) && !/\btorch\b/.test(t);
        }
        if (numpyOnly) fallback = 'float64';
      }
      const input = siteValue(found.logits, fallback, 'input');
      if (found.unbatchedOne) input.shape = [1, found.logits.shape[0]];
      const target = siteValue(found.target, fallback, 'target');
      calls ??= callsTakingTwo(whole());
      const call = callTakingBoth(calls, found.logits.name as string, found.target.name as string);
      if (call === null && built === undefined) built = criterionWithOptions(whole());
      if (call === null && !built && unread === undefined)
        unread = language === 'javascript' || language === 'typescript' ? unreadLossCall(whole()) : null;
      ctx.addPair({
        recogniser: 'inferred',
        kind: 'inferred',
        input,
        target,
        reads: 'logits',
        options: {},
        call: null,
        ...(call !== null
          ? {
              unverified: `the source passes these arrays to \`${call}\`, which was not read as a loss: its number is that call's, not a guess of CrossEntropyLoss`,
            }
          : call === null && built
            ? {
                unverified: `the source builds \`${built}\` but no call of it on these arrays was read: its options would decide the number, not a guess of the default CrossEntropyLoss`,
              }
            : unread
              ? {
                  unverified: `the source calls \`${unread}\`, which was not read as a loss: arrays shown beside it are its business, not a guess of CrossEntropyLoss`,
                }
              : {}),
      });
    }
  } catch (err) {
    if (DetectionCancelled.is(err)) throw err;
    ctx.addFinding({
      code: 'parse_error',
      severity: 'information',
      start: 0,
      end: 0,
      message: `Pairing stopped: ${(err as Error).message}`,
    });
  }
  reader.claims.attachStandalone();
  return { language, arrays: ctx.sites, pairs: ctx.pairs, claims: ctx.claims, findings: ctx.findings };
}
