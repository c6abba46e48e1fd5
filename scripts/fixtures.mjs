#!/usr/bin/env node
// Every torch-generated fixture in one command. The generators are the `test/fixtures/*/gen_*.py`
// scripts; each writes its JSON (and sometimes fixture files) next to itself, stamped with a
// "fixture" version key (test/fixtures/fixture_meta.py). The tests read only the JSON, never Python.
//
//   npm run fixtures         regenerate everything in place (then review `git diff test/fixtures`)
//   npm run fixtures:check   regenerate into a temporary copy of test/fixtures and compare byte for byte
//                            (JSON numbers may differ by a few float64 ulps: numpy's exp/log depend on the CPU)
//
// The check is its own script rather than a vitest test: it runs five PyTorch processes (15–30 s on two
// busy cores), which the fast `npm run test:unit` loop should not pay, and it tests the generators,
// not the TypeScript. `npm test` runs it. Without torch (or with another torch than the one that wrote
// a fixture) it says so and skips that comparison instead of failing: the numbers are torch 1.13's.
//
// LOSS_INSPECTOR_PYTHON picks the interpreter (default /usr/bin/python3, Debian's python3-torch).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixturesDir = path.join(repoRoot, 'test', 'fixtures');
const python = process.env.LOSS_INSPECTOR_PYTHON || '/usr/bin/python3';
const check = process.argv.includes('--check');
const tag = check ? '[fixtures:check]' : '[fixtures]';

/** @returns {string[]} generator paths relative to test/fixtures, e.g. kernel/gen_kernel_cases.py */
function generators(root) {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(path.join(root, d.name))
        .filter((f) => /^gen_.*\.py$/.test(f))
        .map((f) => `${d.name}/${f}`),
    )
    .sort();
}

/** The torch version of `python`, or why there is none. */
function torchVersion() {
  const probe = spawnSync(python, ['-c', 'import numpy, torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.error) return { error: `${python} not found` };
  if (probe.status !== 0) return { error: `${python} cannot import torch and numpy (apt-get install python3-torch)` };
  return { version: probe.stdout.trim() };
}

/** The "fixture" key of every generated JSON under `root`, by generator path relative to test/fixtures. */
function recordedTorch(root) {
  const byGenerator = new Map();
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.json')) {
        let meta;
        try {
          meta = JSON.parse(readFileSync(full, 'utf8')).fixture;
        } catch {
          continue;
        }
        if (meta?.generator) byGenerator.set(meta.generator.replace(/^test\/fixtures\//, ''), meta.torch);
      }
    }
  };
  walk(root);
  return byGenerator;
}

/** Runs one generator (asynchronously, so two can run at once); resolves with its status and output. */
function run(root, generator) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(python, [path.join(root, generator)], {
      cwd: repoRoot,
      // No __pycache__ next to fixture_meta.py in the tree.
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (status) => resolve({ generator, status, output, seconds: (Date.now() - started) / 1000 }));
  });
}

/** Runs the generators two at a time (the machines have two cores). */
async function runAll(root, list) {
  const results = [];
  const queue = [...list];
  const worker = async () => {
    for (let g = queue.shift(); g; g = queue.shift()) {
      const result = await run(root, g);
      console.log(
        `${tag} ${g}: ${result.status === 0 ? 'ok' : `exit ${result.status}`} in ${result.seconds.toFixed(1)} s`,
      );
      results.push(result);
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

/**
 * How many float64 ulps two generated numbers may differ by and still be the same fixture. numpy picks
 * its `exp` / `log` loops by the CPU it runs on (AVX-512 machines get other SIMD loops than AVX2 ones),
 * and those agree only to a few ulps: a numpy-computed truth such as 2.302584092994546 is written
 * 2.3025840929945454 on another machine. Anything a generator change would move (a float32 value,
 * a shape, a string, a different formula) differs by far more.
 */
const float64Ulps = 8;

/** Whether two JSON values are equal but for float64 numbers within {@link float64Ulps}; counts those. */
function sameBesideLastBits(x, y, near) {
  if (typeof x === 'number' && typeof y === 'number') {
    if (x === y) return true;
    const ulp = Math.max(Math.abs(x), Math.abs(y)) * Number.EPSILON;
    if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x - y) > float64Ulps * ulp) return false;
    near.count++;
    return true;
  }
  if (Array.isArray(x) || Array.isArray(y)) {
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    return x.every((v, i) => sameBesideLastBits(v, y[i], near));
  }
  if (x && y && typeof x === 'object' && typeof y === 'object') {
    const kx = Object.keys(x);
    const ky = Object.keys(y);
    if (kx.length !== ky.length || kx.some((k, i) => k !== ky[i])) return false;
    return kx.every((k) => sameBesideLastBits(x[k], y[k], near));
  }
  return x === y;
}

/** For JSON files that differ in bytes: the count of last-bit float64 differences, or null if more differs. */
function lastBitsOnly(generated, checkedIn) {
  if (!generated.endsWith('.json')) return null;
  try {
    const near = { count: 0 };
    const same = sameBesideLastBits(
      JSON.parse(readFileSync(generated, 'utf8')),
      JSON.parse(readFileSync(checkedIn, 'utf8')),
      near,
    );
    return same ? near.count : null;
  } catch {
    return null;
  }
}

/** Files under `a` whose bytes differ from the same path under `b` (or are missing there). */
function differences(a, b, rel = '') {
  const out = [];
  for (const entry of readdirSync(path.join(a, rel), { withFileTypes: true })) {
    const sub = path.join(rel, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '__pycache__') out.push(...differences(a, b, sub));
      continue;
    }
    const other = path.join(b, sub);
    if (!existsSync(other)) out.push(`${sub} (new: the generator writes a file that is not checked in)`);
    else if (!readFileSync(path.join(a, sub)).equals(readFileSync(other))) {
      const near = lastBitsOnly(path.join(a, sub), other);
      if (near !== null)
        console.log(
          `${tag} ${sub}: ${near} float64 value(s) within ${float64Ulps} ulps (this CPU's numpy), the rest equal`,
        );
      else out.push(`${sub} (${statSync(path.join(a, sub)).size} bytes generated, ${statSync(other).size} checked in)`);
    }
  }
  return out;
}

async function main() {
  const list = generators(fixturesDir);
  const torch = torchVersion();
  if (torch.error) {
    if (check) {
      console.log(`${tag} skipped: ${torch.error}; the checked-in fixtures were not compared with their generators`);
      return 0;
    }
    console.error(`${tag} ${torch.error}`);
    return 1;
  }
  const recorded = recordedTorch(fixturesDir);
  if (!check) {
    console.log(`${tag} ${list.length} generators with torch ${torch.version}: ${list.join(', ')}`);
    const results = await runAll(fixturesDir, list);
    const failed = results.filter((r) => r.status !== 0);
    for (const r of failed) console.error(`${tag} ${r.generator} failed:\n${r.output}`);
    if (!failed.length) console.log(`${tag} done; review the changes with: git diff --stat test/fixtures`);
    return failed.length ? 1 : 0;
  }

  // Only generators whose fixtures this torch wrote can be compared; others would differ in the last bits.
  const comparable = list.filter((g) => {
    const was = recorded.get(g);
    if (was === undefined || was === torch.version) return true;
    console.log(`${tag} skipped ${g}: its JSON was written by torch ${was}, this machine has ${torch.version}`);
    return false;
  });
  const root = mkdtempSync(path.join(os.tmpdir(), 'li-fixtures-'));
  try {
    const copy = path.join(root, 'test', 'fixtures');
    cpSync(fixturesDir, copy, { recursive: true });
    const results = await runAll(copy, comparable);
    const failed = results.filter((r) => r.status !== 0);
    for (const r of failed) console.error(`${tag} ${r.generator} failed:\n${r.output}`);
    const changed = differences(copy, fixturesDir);
    for (const c of changed) console.error(`${tag} differs: test/fixtures/${c}`);
    if (changed.length) {
      console.error(
        `${tag} the checked-in fixtures do not match their generators: run \`npm run fixtures\` and commit the result`,
      );
    }
    const missingKey = comparable.filter((g) => !recorded.has(g));
    for (const g of missingKey) console.error(`${tag} ${g} writes no JSON with a "fixture" version key`);
    const ok = !failed.length && !changed.length && !missingKey.length;
    console.log(
      `${tag} ${comparable.length} of ${list.length} generators re-run with torch ${torch.version}: ` +
        `${ok ? 'every generated file matches the checked-in one' : 'MISMATCH'}`,
    );
    return ok ? 0 : 1;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    console.error(`${tag} ${err instanceof Error ? err.stack : err}`);
    process.exitCode = 1;
  },
);
