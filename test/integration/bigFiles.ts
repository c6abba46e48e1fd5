// Generated inputs for the speed and bad-input tests: written at test time into a temp folder,
// never checked in. Deterministic (a fixed linear congruential generator), so runs compare.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A seeded uniform generator in [0, 1) (glibc's LCG constants): the same numbers on every run. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 1) / 2147483648;
  };
}

/** What a generated file holds, for locating rows in the editor. */
export interface GeneratedPython {
  file: string;
  bytes: number;
  rows: number;
  cols: number;
  /** 0-based line of the first row of the logits literal. */
  firstRowLine: number;
  /** 0-based line of `loss = criterion(output, target)`. */
  lossLine: number;
  /** 0-based line of the trailing comment the typing test appends to. */
  typingLine: number;
}

/**
 * A Python file with an (rows × cols) float literal and `rows` targets, the seed's criterion call and
 * a trailing comment line. 1000 × 1000 with 6 decimals is about 10.5 MB.
 */
export function writeBigPython(dir: string, name: string, rows: number, cols: number, decimals = 6): GeneratedPython {
  const random = seeded(rows * 7919 + cols);
  const file = path.join(dir, name);
  const fd = fs.openSync(file, 'w');
  try {
    const head = 'import torch\nimport torch.nn as nn\n\noutput = torch.tensor([\n';
    fs.writeSync(fd, head);
    for (let r = 0; r < rows; r++) {
      const values = new Array<string>(cols);
      for (let c = 0; c < cols; c++) values[c] = (random() * 8 - 4).toFixed(decimals);
      fs.writeSync(fd, `    [${values.join(', ')}],\n`);
    }
    const targets = Array.from({ length: rows }, () => Math.floor(random() * cols));
    fs.writeSync(
      fd,
      `])\ntarget = torch.tensor([${targets.join(', ')}])\ncriterion = nn.CrossEntropyLoss()\nloss = criterion(output, target)\nprint(loss)\n# typing: \n`,
    );
  } finally {
    fs.closeSync(fd);
  }
  const firstRowLine = 4;
  return {
    file,
    bytes: fs.statSync(file).size,
    rows,
    cols,
    firstRowLine,
    lossLine: firstRowLine + rows + 3,
    typingLine: firstRowLine + rows + 5,
  };
}

/** `bytes` of seeded random bytes without NUL (so VS Code opens them as text, not as a binary file). */
export function writeBinary(dir: string, name: string, bytes: number): string {
  const random = seeded(4242);
  const data = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) data[i] = 1 + Math.floor(random() * 255);
  const file = path.join(dir, name);
  fs.writeFileSync(file, data);
  return file;
}
