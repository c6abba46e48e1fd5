/**
 * Fuzzing the built CLI with structured hostile input (fast-check, fixed seeds so a failure
 * reproduces): deep and unclosed nesting, long digit runs, control characters and terminal
 * escapes, huge keys and names, prototype keys, malformed numbers. Each input has a hang
 * bound (an answer within 15 s, or the spawn is killed and the test fails); the inputs are
 * few and small enough that the whole file stays within a bounded time in `npm test`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureCli, root } from './cliBuild';

/** Per-input hang bound. */
const hangMs = 15_000;
/** Characters a terminal acts on; none may reach stdout or stderr raw. */
const rawControl = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const knownCodes = new Set([
  'invalid_request',
  'invalid_option',
  'invalid_input_shape',
  'empty_input',
  'input_too_large',
  'nesting_too_deep',
  'output_too_large',
  'ragged_array',
  'target_out_of_bounds',
  'batch_size_mismatch',
  'target_shape_mismatch',
  'integer_probability_target',
  'float_index_target',
  'weight_size_mismatch',
  'label_smoothing_out_of_range',
  'unsupported_option',
]);

let dir: string;
beforeAll(() => {
  ensureCli();
  dir = mkdtempSync(join(tmpdir(), 'li-fuzz-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Building blocks of hostile text.
const controlChar = fc.constantFrom(
  '\u001b[2K',
  '\u001b]0;title\u0007',
  '\u001b]8;;http://x\u001b\\',
  '\u0007',
  '\r',
  '\u009b1A',
  '\u202e',
  '\u0000',
  '\t',
);
const digitRun = fc.integer({ min: 1, max: 20_000 }).map((n) => '9'.repeat(n));
const badNumber = fc.constantFrom(
  '1.',
  '.5',
  '-.5',
  '007',
  '-',
  '1e',
  '1e+',
  '+1',
  '0x1F',
  '1_000',
  'NaN',
  'Infinity',
  '--1',
);
const goodNumber = fc.oneof(
  fc.integer({ min: -5, max: 12 }).map(String),
  fc.double({ min: -50, max: 50, noNaN: true }).map((v) => JSON.stringify(v)),
  fc.constantFrom('1e999', '-1e999', '"NaN"', '"Infinity"', '"-Infinity"', '1.0', '0.0', '1e0', '-0'),
  digitRun.map((d) => `1${d}`),
  digitRun.map((d) => `0.${d}`),
);
const key = fc.oneof(
  fc.constantFrom('input', 'target', 'weight', 'reduction', 'ignore_index', 'label_smoothing', 'dtype', 'input_kind'),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'),
  fc.integer({ min: 1, max: 100_000 }).map((n) => 'k'.repeat(n)),
  controlChar.map((c) => JSON.stringify(`in${c}put`).slice(1, -1)),
);

/** `arb` one time in five, else undefined. */
function sometimes<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: arb, weight: 1 });
}

/** A nested array: depth up to 1,500, closed or not, with numbers, bad numbers or a string at the bottom. */
const nested = fc
  .record({
    depth: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 900, max: 1500 })),
    width: fc.integer({ min: 1, max: 6 }),
    leaf: fc.oneof(
      { arbitrary: goodNumber, weight: 6 },
      { arbitrary: badNumber, weight: 1 },
      { arbitrary: fc.constantFrom('"a"', '{}', '', '[]', '[1, 2]'), weight: 1 },
    ),
    closed: fc.boolean(),
  })
  .map(({ depth, width, leaf, closed }) => {
    const row = '[' + Array(width).fill(leaf).join(', ') + ']';
    return '['.repeat(depth) + row + (closed ? ']'.repeat(depth) : '');
  });

const value = fc.oneof(
  { arbitrary: nested, weight: 4 },
  { arbitrary: goodNumber, weight: 2 },
  { arbitrary: badNumber, weight: 1 },
  { arbitrary: fc.constantFrom('"mean"', '"sum"', '"none"', 'null', 'true', '"float64"', '"log_probs"'), weight: 2 },
);

/** One request line: an object with hostile members, sometimes cut short, never with a raw newline. */
const requestLine = fc
  .record({
    members: fc.array(fc.tuple(key, value), { minLength: 0, maxLength: 4 }),
    base: fc.boolean(),
    cut: sometimes(fc.integer({ min: 0, max: 200 })),
    raw: sometimes(controlChar),
  })
  .map(({ members, base, cut, raw }) => {
    const parts = members.map(([k, v]) => `"${k}": ${v}`);
    if (base) parts.unshift('"input": [[0.5, 1.5, -2.0]]', '"target": [2]');
    let text = '{' + parts.join(', ') + '}';
    if (raw) text = text.replace(':', `:${raw}`);
    if (cut !== undefined) text = text.slice(0, Math.max(1, text.length - cut));
    return text.replace(/[\n\r]/g, ' ');
  });

describe('fuzz: compute --batch', () => {
  it('answers every hostile line within the bound, numbered, with a known error code, and keeps going', async () => {
    const lines = fc.sample(requestLine, { numRuns: 120, seed: 20240917 });
    const child = spawn(process.execPath, [cli, 'compute', '--batch'], { cwd: root });
    let pending = '';
    let stderr = '';
    const answers: string[] = [];
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      pending += d;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        answers.push(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    });
    child.stderr.on('data', (d) => (stderr += d));
    try {
      for (let i = 0; i < lines.length; i++) {
        child.stdin.write(lines[i] + '\n');
        const deadline = Date.now() + hangMs;
        while (answers.length <= i) {
          if (Date.now() > deadline)
            throw new Error(`line ${i + 1} unanswered after ${hangMs} ms: ${lines[i].slice(0, 200)}`);
          await new Promise((r) => setTimeout(r, 5));
        }
        const answer = answers[i];
        expect(answer, lines[i].slice(0, 200)).not.toMatch(rawControl);
        const parsed = JSON.parse(answer);
        expect(parsed.line).toBe(i + 1);
        if (parsed.error) {
          expect(knownCodes.has(parsed.error.code), `${parsed.error.code}: ${parsed.error.message}`).toBe(true);
          expect(typeof parsed.error.message).toBe('string');
        } else expect('loss' in parsed, answer.slice(0, 200)).toBe(true);
      }
      child.stdin.end();
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(0);
      expect(stderr).toBe('');
    } finally {
      child.kill();
    }
  }, 120_000);
});

// Hostile source files for scan and check.
const identifier = fc.oneof(
  fc.constantFrom('logits', 'labels', 'loss', '__proto__', 'constructor', 'prototype'),
  fc.integer({ min: 1, max: 50_000 }).map((n) => 'x'.repeat(n)),
);
const pythonFile = fc
  .record({
    name: identifier,
    depth: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 500, max: 3000 })),
    closed: fc.boolean(),
    claim: fc.oneof(goodNumber, badNumber, digitRun),
    junk: fc.array(controlChar, { maxLength: 4 }),
    strayParen: fc.boolean(),
  })
  .map(({ name, depth, closed, claim, junk, strayParen }) => {
    const deep = '['.repeat(depth) + '0.5, 1.5' + (closed ? ']'.repeat(depth) : '');
    return [
      strayParen ? '(' : '',
      'import torch',
      `# ${junk.join('')} a comment with escapes`,
      `${name} = torch.tensor([[0.8982, 0.805, 0.6393]])`,
      'labels = torch.tensor([1])',
      `loss = torch.nn.functional.cross_entropy(${name}, labels)`,
      `print(loss)  # tensor(${claim})${junk.join('')}`,
      `deep = ${deep}`,
      '',
    ].join('\n');
  });
const jsonFile = fc
  .record({ k: key, junk: fc.array(controlChar, { maxLength: 3 }), v: nested })
  .map(
    ({ k, junk, v }) =>
      `{"${k}${junk.map((c) => JSON.stringify(c).slice(1, -1)).join('')}": ${v}, "target": [1], "loss": 9.5}`,
  );
const markdownFile = fc
  .record({ py: pythonFile, junk: fc.array(controlChar, { maxLength: 3 }) })
  .map(
    ({ py, junk }) => `# Title ${junk.join('')}\n\n\`\`\`python\n${py}\n\`\`\`\n\n    tensor(1.0801)${junk.join('')}\n`,
  );
const sourceFile = fc.oneof(
  pythonFile.map((text) => ({ ext: 'py', text })),
  jsonFile.map((text) => ({ ext: 'json', text })),
  markdownFile.map((text) => ({ ext: 'md', text })),
);

function checkOutput(out: string, err: string, code: number | null, what: string): void {
  expect(code, `${what}\n${err}`).not.toBeNull();
  expect([0, 1, 2], what).toContain(code);
  expect(out, what).not.toMatch(rawControl);
  expect(err, what).not.toMatch(rawControl);
  expect(err, what).not.toMatch(/\n\s+at |internal error/);
}

describe('fuzz: scan and check', () => {
  it('hostile files: bounded time each, no raw control character, no stack trace, no forged annotation', () => {
    const files = fc.sample(sourceFile, { numRuns: 16, seed: 7 }).map(({ ext, text }, i) => {
      const path = join(dir, `f${i}.${ext}`);
      writeFileSync(path, text);
      return path;
    });
    for (const path of files) {
      const r = spawnSync(process.execPath, [cli, 'check', '--format', 'github', path], {
        cwd: root,
        encoding: 'utf8',
        timeout: hangMs,
      });
      checkOutput(r.stdout, r.stderr, r.status, `check --format github ${path}`);
      const lines = r.stdout.trim().split('\n');
      for (const line of lines.slice(0, -1)) expect(line).toMatch(/^::(error|warning) file=[^,:\s]+(,line=\d+)?::/);
      expect(lines[lines.length - 1]).toMatch(/^\d+ claims?: \d+ hold, \d+ wrong, \d+ unverified/);
    }
    for (const args of [['scan'], ['scan', '--json'], ['check'], ['check', '--format', 'json']]) {
      const r = spawnSync(process.execPath, [cli, ...args, ...files], {
        cwd: root,
        encoding: 'utf8',
        timeout: hangMs * files.length,
        maxBuffer: 256 << 20,
      });
      checkOutput(r.stdout, r.stderr, r.status, args.join(' '));
      if (args.includes('--json') || args.includes('json'))
        expect(JSON.parse(r.stdout).files).toHaveLength(files.length);
    }
  }, 300_000);
});
