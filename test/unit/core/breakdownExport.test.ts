/**
 * The shared Copy/export formatters (src/core/breakdownExport.ts) on the torch fixture's seed
 * batch: the Markdown covers every sample and says which sample's steps it shows, JSON speaks the
 * CLI's contract (the CLI itself reads it back), float32 values carry no float64 noise, the
 * PyTorch snippet ends with what torch 1.13 printed, and the editor's command and the panel give
 * the same text for the same pair.
 */
import { describe, expect, it } from 'vitest';
import {
  exportOfInspection,
  formatBreakdown,
  type BreakdownExport,
  type InspectedPair,
} from '../../../src/core/breakdownExport';
import { shortestFloat32 } from '../../../src/core/format';
import { runCompute } from '../../../src/cli/compute';
import { fakeIo } from '../cli/fakeIo';
import { panelExport } from '../../../src/panel/panelExport';
import { sampleToWire } from '../../../src/protocol/worker';
import type { PairSummary } from '../../../src/protocol/webview';
import { close, fixture, n, ns, payloads, type TorchCase } from '../panel/fixture';
import { optionsOf, pairOf } from '../panel/states';

const batch = fixture.seedBatch;

/** The panel's export of a torch case, optionally with the code's options being another case's. */
function exportOf(
  c: TorchCase,
  opts: { element?: number; code?: TorchCase; claim?: string | null; claimOk?: boolean | null } = {},
): BreakdownExport {
  const { result, breakdown } = payloads(c, opts.element ?? 0);
  const code = opts.code ?? c;
  const summary: PairSummary = {
    ...pairOf(c, { claim: opts.claim ?? null }),
    options: optionsOf(c),
    codeOptions: optionsOf(code),
    claimText: opts.claim ?? null,
    claimOk: opts.claimOk ?? null,
    codePrinted: code.print,
  };
  const anchor = { line: 12, cell: null, name: 'output', argName: 'output' };
  return panelExport({
    file: 'seed_blog.py',
    pair: {
      call: anchor,
      logits: anchor,
      target: { line: 12, cell: null, name: 'target', argName: 'target' },
      inputShape: c.shape,
      targetShape: [c.target.length],
      targetKind: 'indices',
    } as unknown as Parameters<typeof panelExport>[0]['pair'],
    summary,
    data: { result, otherResult: null, breakdown: null, heatMap: null, heatMapId: 0 },
    breakdown: sampleToWire(breakdown),
    values: { input: ns(c.input), target: c.target },
    decimals: 4,
  });
}

describe('Markdown', () => {
  const md = formatBreakdown('markdown', exportOf(batch.float32, { element: 1 }));

  it('lists the loss of every sample of the batch and names the sample whose steps follow', () => {
    const losses = ns(batch.none32.losses);
    expect(md).toContain('**Per-sample losses** (all 2 samples)');
    expect(md).toContain(`| 0 | 1 | ${losses[0]!.toFixed(4)} |`);
    expect(md).toContain(`| 1 | 5 | ${losses[1]!.toFixed(4)} |`);
    // 0-based index and a 1-based count, said as such: never "sample 1 of 2" for the second.
    expect(md).toContain('**Steps of sample 1 (2 of 2)**: target class 5');
  });

  it('says what D is and keeps every statement a paragraph of its own', () => {
    expect(md).toContain('D = 2, the number of non-ignored targets.');
    const paragraphs = md.trimEnd().split('\n\n');
    // The last two statements (Σexp/logsumexp/loss and the reduction) never merge into one line.
    expect(paragraphs.at(-1)).toMatch(/^Σexp = .*; loss = -log p\[5\] = \d\.\d{4}\.$/);
    expect(paragraphs.filter((p) => p.startsWith('`mean = Σ loss / D'))).toHaveLength(1);
    expect(md).toContain(`torch prints \`${batch.float32.print}\``);
  });

  it('uses one minus sign, the ASCII one', () => {
    expect(md).not.toMatch(/\u2212/);
    expect(md).toContain('| x - max |');
  });

  it('marks the target and the predicted class', () => {
    const softmax = ns(batch.float32.softmax).slice(10, 20);
    const predicted = softmax.indexOf(Math.max(...softmax));
    expect(md).toContain(predicted === 5 ? '**5** (target, predicted)' : `**${predicted}** (predicted)`);
    expect(md).toContain('**5** (target');
  });

  it('with options that differ from the code, the claim is judged with the code’s and both prints are named', () => {
    const text = formatBreakdown(
      'markdown',
      exportOf(batch.sum32, { code: batch.float32, claim: `# ${batch.float32.print}`, claimOk: true }),
    );
    expect(text).toContain(`torch prints \`${batch.sum32.print}\`.`);
    expect(text).toContain(
      `The code claims \`# ${batch.float32.print}\`, which holds for the code's own options (torch prints \`${batch.float32.print}\` with them)`,
    );
    expect(text).not.toContain('it holds.');
  });
});

describe('JSON', () => {
  const json = formatBreakdown('json', exportOf(batch.float32));
  const obj = JSON.parse(json) as Record<string, unknown>;

  it("uses the CLI's field names and no internal id", () => {
    expect(obj).toHaveProperty('ignore_index', -100);
    expect(obj).toHaveProperty('label_smoothing', 0);
    expect(obj).toHaveProperty('input_kind', 'logits');
    expect(obj).not.toHaveProperty('ignoreIndex');
    expect(json).not.toMatch(/"(id|pairId|resultId)"/);
    expect(obj.printed).toBe(batch.float32.print);
  });

  it('writes float32 values as the shortest decimal of the float32, without float64 noise', () => {
    expect(json).not.toContain('0.8981999754905701');
    expect((obj.input as number[][])[0]![0]).toBe(0.8982);
    expect(obj.loss).toBe(shortestFloat32(n(batch.float32.loss)));
    // No float32 value needs more than 9 significant digits.
    expect(json).not.toMatch(/\d\.\d{10,}/);
  });

  it('is a request the CLI computes to the same loss', async () => {
    const io = fakeIo({}, [json]);
    const code = await runCompute(['--steps'], io);
    expect(code).toBe(0);
    const answer = JSON.parse(io.stdout()) as { loss: number; printed: string };
    expect(answer.printed).toBe(batch.float32.print);
    expect(Math.fround(answer.loss)).toBe(Math.fround(n(batch.float32.loss)));
  });
});

describe('PyTorch', () => {
  it('names the variables as the code does (never `input`) and ends with what torch prints', () => {
    const py = formatBreakdown('pytorch', exportOf(batch.float32));
    expect(py).not.toMatch(/^input\b/m);
    expect(py).toMatch(/^output = torch\.tensor\(\[\[0\.8982, 0\.805, /m);
    expect(py).toContain('loss = criterion(output, target)');
    expect(py.trimEnd().split('\n').at(-1)).toBe(`print(loss)  # ${batch.float32.print}`);
  });

  it('writes the options in effect, and their print', () => {
    const py = formatBreakdown('pytorch', exportOf(batch.sum32, { code: batch.float32 }));
    expect(py).toContain("criterion = nn.CrossEntropyLoss(reduction='sum')");
    expect(py.trimEnd().split('\n').at(-1)).toBe(`print(loss)  # ${batch.sum32.print}`);
  });
});

describe('CSV', () => {
  it('has one row per class of the sample, with its 0-based index and the target and predicted flags', () => {
    const csv = formatBreakdown('csv', exportOf(batch.float32, { element: 1 }))
      .trim()
      .split('\n');
    expect(csv[0]).toBe('sample,class,is_target,is_predicted,x,x_minus_max,exp,p,log_p,q,w,neg_w_q_log_p,grad');
    expect(csv).toHaveLength(11);
    expect(csv[6]!.startsWith('1,5,1,')).toBe(true);
    const p = Number(csv[6]!.split(',')[7]);
    expect(close(p, n(batch.float32.softmax[15]!)), `${p}`).toBe(true);
    expect(p).toBe(shortestFloat32(p));
  });
});

describe('one formatter for the command and the panel', () => {
  it('gives the same text for the same pair, sample and options', () => {
    const c = batch.float32;
    const panel = exportOf(c, { claim: `# ${c.print}`, claimOk: true });
    const { result, breakdown } = payloads(c, 0);
    const inspected: InspectedPair = {
      pair: {
        logits: { line: 12, cell: null, name: 'output', argName: 'output' },
        target: { line: 12, cell: null, name: 'target', argName: 'target' },
        call: { line: 12, cell: null },
        options: {
          reduction: c.reduction,
          weight: null,
          ignoreIndex: c.ignoreIndex,
          labelSmoothing: c.labelSmoothing,
          inputKind: 'logits',
        },
        dtype: c.dtype,
        inputShape: c.shape,
        targetShape: [c.target.length],
        targetKind: 'indices',
        losses: result.losses,
        cell: null,
      } as unknown as InspectedPair['pair'],
      inspection: {
        sample: breakdown,
        classIndices: null,
        C: result.C,
        reduction: {
          reduction: result.reduction,
          numerator: result.numerator,
          denominator: result.denominator,
          loss: result.loss,
          count: result.losses.length,
          ignoredCount: 0,
        },
        data: { input: ns(c.input), target: c.target, weight: null },
      },
      file: 'seed_blog.py',
      claim: { text: `# ${c.print}`, status: 'holds' },
      decimals: 4,
    };
    const command = exportOfInspection(inspected);
    for (const format of ['markdown', 'json', 'csv', 'pytorch'] as const)
      expect(formatBreakdown(format, command), format).toBe(formatBreakdown(format, panel));
  });
});
