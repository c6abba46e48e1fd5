/**
 * Detection: text → logits/target pairs, their losses as torch computes them, claims and
 * findings. Pure TypeScript (no editor or Node imports): runs in vitest, the worker, the CLI and
 * a browser. Never throws on bad input; whatever cannot be read becomes a finding.
 * Contract: notes/detection-contract.md.
 */
import type { DType } from '../types';
import { Analyzer, type OutputLine, type Producer } from './analyzer';
import { inferPairs, siteValue } from './infer';
import { analyzeJson } from './json';
import { Lang } from './literals';
import { markdownBlocks, maskedCode } from './markdown';
import { parseNotebook } from './notebook';
import {
  defaultMaxLiteralElements,
  type AnalyzeOptions,
  type DocumentAnalysis,
  type Finding,
  type NotebookCellInput,
} from './types';

export * from './types';
export { judgeClaim, claimInComment, claimInOutput, pythonRepr } from './claims';

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

/** The language of a document from its language id, else its file name (Python by default). */
export function detectLanguage(opts: AnalyzeOptions): DetectionLanguage {
  if (opts.languageId && byLanguageId[opts.languageId]) return byLanguageId[opts.languageId];
  const m = /\.([A-Za-z0-9]+)$/.exec(opts.fileName ?? '');
  if (m && byExtension[m[1].toLowerCase()]) return byExtension[m[1].toLowerCase()];
  return 'python';
}

/**
 * Analyses one document: finds arrays, pairs them (loss calls first, then names), computes each
 * pair's loss with the kernel, and judges the claims the text makes. Notebook (.ipynb) positions
 * are relative to each cell's source, with `cell` set.
 */
export function analyzeText(text: string, opts: AnalyzeOptions = {}): DocumentAnalysis {
  const language = detectLanguage(opts);
  const analyzer = new Analyzer({
    dtypeOverride: opts.dtypeOverride,
    maxElements: opts.maxElements ?? defaultMaxLiteralElements,
  });
  try {
    switch (language) {
      case 'python':
        analyzer.runSegment(text, Lang.Python);
        break;
      case 'javascript':
      case 'typescript':
        analyzer.runSegment(text, Lang.Js);
        break;
      case 'json':
        analyzer.begin(text);
        analyzeJson(analyzer, text, 0, text.length, analyzer.currentLines);
        break;
      case 'markdown':
        analyzeMarkdown(analyzer, text);
        break;
      case 'ipynb': {
        let parsed;
        try {
          parsed = parseNotebook(text);
        } catch (err) {
          analyzer.begin(text);
          const at = /position (\d+)/.exec((err as Error).message);
          const offset = at ? Number(at[1]) : 0;
          analyzer.addFinding({
            code: 'parse_error',
            severity: 'error',
            start: offset,
            end: offset + 1,
            message: `Not a readable notebook: ${(err as Error).message}`,
          });
          break;
        }
        notebookInto(analyzer, parsed.cells, parsed.language === 'js' ? Lang.Js : Lang.Python);
        break;
      }
    }
  } catch (err) {
    analyzer.addFinding({
      code: 'parse_error',
      severity: 'error',
      start: 0,
      end: 0,
      message: `Analysis stopped: ${(err as Error).message}`,
    });
  }
  return finish(analyzer, language, () => text);
}

/**
 * Analyses notebook cells in order as one program (a pair may span cells); each code cell's
 * stored outputs are claims for the values it prints. Positions are cell-relative, with `cell`.
 */
export function analyzeNotebook(
  cells: NotebookCellInput[],
  opts: Omit<AnalyzeOptions, 'fileName' | 'languageId'> & { language?: 'python' | 'javascript' } = {},
): DocumentAnalysis {
  const analyzer = new Analyzer({
    dtypeOverride: opts.dtypeOverride,
    maxElements: opts.maxElements ?? defaultMaxLiteralElements,
  });
  try {
    notebookInto(analyzer, cells, opts.language === 'javascript' ? Lang.Js : Lang.Python);
  } catch (err) {
    analyzer.addFinding({
      code: 'parse_error',
      severity: 'error',
      start: 0,
      end: 0,
      message: `Analysis stopped: ${(err as Error).message}`,
    });
  }
  return finish(analyzer, 'ipynb', () => cells.map((c) => c.source).join('\n'));
}

function notebookInto(analyzer: Analyzer, cells: NotebookCellInput[], lang: Lang.Python | Lang.Js): void {
  cells.forEach((cell, i) => {
    if (cell.kind !== 'code') return;
    const before = analyzer.producers.length;
    analyzer.runSegment(cell.source, lang, i);
    const producers = shownProducers(analyzer.producers.slice(before), analyzer.lastStatementEnd);
    const outputs: OutputLine[] = [];
    for (const o of cell.outputs ?? [])
      for (const line of o.split(/\r\n|\r|\n/)) if (line.trim() !== '') outputs.push({ text: line, start: null });
    analyzer.attachOutputs(producers, outputs, null);
  });
}

/** Prints, plus a bare expression only when it ends the cell (Jupyter shows only that one). */
function shownProducers(producers: Producer[], lastEnd: number): Producer[] {
  return producers.filter((p) => p.kind === 'print' || p.end >= lastEnd);
}

function analyzeMarkdown(analyzer: Analyzer, text: string): void {
  const blocks = markdownBlocks(text);
  for (const [lang, which] of [
    [Lang.Python, 'python'],
    [Lang.Js, 'js'],
  ] as const) {
    const code = blocks.filter((b) => b.language === which);
    if (!code.length) continue;
    const before = analyzer.producers.length;
    analyzer.runSegment(
      maskedCode(text, code),
      lang,
      undefined,
      code.map((b) => b.end),
    );
    // Producers come in document order, as blocks do: one pass hands each block (or console
    // prompt) its own, so many blocks cost no more than one.
    const producers = analyzer.producers.slice(before);
    let next = 0;
    const within = (start: number, end: number): Producer[] => {
      while (next < producers.length && producers[next].start < start) next++;
      const own: Producer[] = [];
      while (next < producers.length && producers[next].start < end) own.push(producers[next++]);
      return own;
    };
    for (const b of code) {
      if (b.pyconGroups) {
        for (const g of b.pyconGroups) analyzer.attachOutputs(within(g.codeStart, g.codeEnd), g.outputs, null);
      } else {
        const own = within(b.start, b.end);
        if (b.outputs.length) {
          analyzer.attachOutputs(
            own.filter((p) => p.kind === 'print' || p === own[own.length - 1]),
            b.outputs,
            null,
          );
        }
      }
    }
  }
  const json = blocks.filter((b) => b.language === 'json');
  if (json.length) {
    analyzer.begin(text);
    for (const b of json) analyzeJson(analyzer, text, b.start, b.end, analyzer.currentLines);
  }
}

/** Inferred pairs, then the document-level result. */
function finish(analyzer: Analyzer, language: DetectionLanguage, documentText: () => string): DocumentAnalysis {
  try {
    let numpyOnly: boolean | null = null;
    for (const ip of inferPairs(analyzer.sites, analyzer.usedSites, documentText)) {
      let dflt: DType = 'float32';
      if (language === 'python' && ip.logits.dtype === null) {
        if (numpyOnly === null) {
          const t = documentText();
          numpyOnly = /\bnumpy\b/.test(t) && !/\btorch\b/.test(t);
        }
        if (numpyOnly) dflt = 'float64';
      }
      const input = siteValue(ip.logits, dflt);
      if (ip.unbatchedOne) input.shape = [1, ip.logits.shape[0]];
      const target = siteValue(ip.target, dflt, true);
      analyzer.addPair({ kind: 'inferred', input, target, nll: false, options: {}, call: null });
    }
  } catch (err) {
    analyzer.addFinding({
      code: 'parse_error',
      severity: 'information',
      start: 0,
      end: 0,
      message: `Pairing stopped: ${(err as Error).message}`,
    });
  }
  analyzer.attachStandaloneClaims();
  const findings: Finding[] = analyzer.findings
    .slice()
    .sort((a, b) => (a.cell ?? 0) - (b.cell ?? 0) || a.start - b.start);
  return {
    language,
    arrays: analyzer.sites,
    pairs: analyzer.computed.map((c) => c.analysis),
    claims: analyzer.claims,
    findings,
  };
}
