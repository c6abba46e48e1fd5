// The Node program the live benches pause under js-debug: a training step whose Float32Array
// logits are built at run time, stopped at a `debugger` statement on the line after its loss.
// It stops at (64, 1000), then at (64, 50257) (12.9 MB, a GPT-2 vocabulary); `node live_bench.js
// small` or `vocab` stops only at that one.
'use strict';

/** torch.nn.functional.cross_entropy of flat (N, C) logits and class-index targets, in float64. */
function crossEntropy(logits, targets) {
  const n = targets.length;
  const c = logits.length / n;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let j = 0; j < c; j++) m = Math.max(m, logits[i * c + j]);
    let s = 0;
    for (let j = 0; j < c; j++) s += Math.exp(logits[i * c + j] - m);
    total += m + Math.log(s) - logits[i * c + targets[i]];
  }
  return total / n;
}

function step(n, c) {
  const logits = new Float32Array(n * c);
  let s = 11;
  for (let i = 0; i < logits.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    logits[i] = (s / 2147483648) * 8 - 4;
  }
  const labels = Int32Array.from({ length: n }, (_, i) => (i * 7919) % c);
  const loss = crossEntropy(logits, labels);
  debugger; // BENCH:step
  console.log('LOSS', loss);
  return loss;
}

const only = process.argv[2];
if (only !== 'vocab') step(64, 1000);
if (only !== 'small') step(64, 50257);
