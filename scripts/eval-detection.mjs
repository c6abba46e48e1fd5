#!/usr/bin/env node
/**
 * Scores the project's own detection (`loss-inspector scan --json`, built by `npm run build`) against a
 * study set of real snippets whose truth was computed elsewhere (real torch, real tfjs, or a library's
 * documented rule). The study set itself is third-party text and is never part of this repository:
 * point the script at a directory that holds it.
 *
 *   node scripts/eval-detection.mjs DIR [--manifest FILE] [--cli dist/cli.js] [--only ID,ID]
 *                                       [--json OUT.json] [--quiet]
 *
 * Exit code: 0 when the evaluation ran (whatever the scores), 2 on a usage or manifest error.
 *
 * ## Manifest format (DIR/manifest.json unless --manifest says otherwise)
 *
 *   {
 *     "tolerance": { "relative": 1e-4, "absolute": 1e-6 },   // optional; these are the defaults
 *     "snippets": [ {
 *       "id": "001",                          // unique
 *       "file": "snippets/001-slug.py",       // relative to DIR; .py .md .ipynb .js .ts .json .txt
 *       "source": "URL or owner/repo:path",   // where it was found (reported, not used)
 *       "language": "python", "libraries": ["torch"], "families": ["claim.repl", ...],
 *       "negative": false,                     // true: the snippet computes no loss from literals
 *       "variant_of": "001",                   // only on wrong-claim variants
 *       "losses": [ {                          // every loss the code computes from literal numbers
 *         "id": "a",
 *         "line": 12, "end_line": 13,          // 1-based line(s) of the expression that computes it
 *         "lines": [12, 13],                   // every line a detector may name as the loss call
 *         "cell": 3,                           // notebooks only: 0-based cell index, lines cell-relative
 *         "input": { "line": 7 }, "target": { "line": 8 },   // where the logits/target literals start
 *         "value": 2.1438 | [0.31, 0.69],      // reduced loss, or per-element losses (reduction 'none')
 *         "reduction": "mean", "library": "torch", "rule": "how the value was computed",
 *         "families": []
 *       } ],
 *       "claims": [ {                          // every printed or asserted value a reader could check
 *         "line": 13, "cell": 3,               // where the claimed text is
 *         "lines": [11, 13],                   // optional: every line a detector may judge it on (a
 *                                              // value printed by one line and compared on another)
 *         "text": "tensor(2.1438)", "claimed": [2.1438],
 *         "truth": 2.1438183 | [...],          // what the code really produces for it
 *         "right": true,                       // the truth, rounded as printed, gives the claim
 *         "loss": "a" | null, "source": "comment" | "output" | "assert" | "prose"
 *       } ],
 *       "refusals": [ { "line": 20, "reason": "..." } ],  // calls that must not get a number
 *       "intermediates": [ {                   // optional: per-element vectors the code computes and
 *         "line": 9, "lines": [9], "cell": 3,  // only reduces later (`reduction='none'`, then `.mean()`):
 *         "value": [0.2395, 3.0510]            // the loss counts at the reducing line; a pair reported
 *       } ]                                    // here is value-checked, never required, never false
 *     } ]
 *   }
 *
 * ## How a reported pair is matched to a loss
 * A pair whose loss call lies on one of a loss's `lines` (same cell) matches that loss; a pair found
 * without a call (inferred from names) matches a loss with the same input and target lines. Each
 * matched pair with a number is compared with the loss's value (every element for vectors) within
 * the tolerance. A pair with a number that matches no loss is a false pair; a pair without a number
 * (unverified, or an error the kernel reported) is counted as unverified, never as a false pair.
 * A numeric pair on the line of one of the snippet's `intermediates` is compared with that vector: a
 * right one is counted apart (optional, neither found nor false), a different one is a wrong number.
 *
 * ## What is printed
 * Per snippet and in total: losses found (recall = found / losses), wrong numbers, unverified and
 * missed losses, false pairs, refusals honoured, wrong claims caught, false alarms (a right claim
 * reported wrong), claims judged; then recall per family and per library, to rank the gaps.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function usage(message) {
  process.stderr.write(
    `${message}\nusage: node scripts/eval-detection.mjs DIR [--manifest FILE] [--cli FILE] [--only ID,ID] [--json OUT] [--quiet]\n`,
  );
  process.exit(2);
}

function parseArgs(argv) {
  const args = {
    dir: null,
    manifest: null,
    cli: join(here, '..', 'dist', 'cli.js'),
    only: null,
    json: null,
    quiet: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
    if (a === '--manifest') args.manifest = next();
    else if (a === '--cli') args.cli = next();
    else if (a === '--only') args.only = new Set(next().split(','));
    else if (a === '--json') args.json = next();
    else if (a === '--quiet') args.quiet = true;
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else if (args.dir === null) args.dir = a;
    else usage(`unexpected argument ${a}`);
  }
  if (args.dir === null) usage('no study-set directory given');
  args.manifest ??= join(args.dir, 'manifest.json');
  return args;
}

/** Runs `scan --json` on some files; a crash on the batch falls back to one file at a time. */
function scanFiles(cli, paths) {
  const out = new Map();
  const run = (files) => {
    const stdout = execFileSync(process.execPath, [cli, 'scan', '--json', ...files], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    return JSON.parse(stdout).files;
  };
  const chunk = 25;
  for (let i = 0; i < paths.length; i += chunk) {
    const part = paths.slice(i, i + chunk);
    try {
      run(part).forEach((f, k) => out.set(part[k], { file: f }));
    } catch {
      for (const p of part) {
        try {
          out.set(p, { file: run([p])[0] });
        } catch (err) {
          const e = /** @type {{ status?: number, stdout?: string, message: string }} */ (err);
          out.set(p, { crash: `scan exited ${e.status ?? '?'}: ${(e.stdout || e.message).slice(0, 200)}` });
        }
      }
    }
  }
  return out;
}

/** Manifest numbers, with JSON's missing NaN and infinities written as strings (as the CLI does). */
const num = (v) => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v);
const flat = (v) => (Array.isArray(v) ? v.flatMap(flat) : [num(v)]);

function close(a, b, tol) {
  if (typeof a !== 'number' || typeof b !== 'number') return false;
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= tol.absolute + tol.relative * Math.abs(b);
}

/** The numbers a reported pair gives, or null when it gives none (unverified or an error). */
function pairNumbers(p) {
  if (p.error) return null;
  if (p.unverified || p.status === 'unverified') return null;
  if (typeof p.loss === 'number' || typeof p.loss === 'string') return [num(p.loss)];
  if (Array.isArray(p.losses)) return flat(p.losses);
  return null;
}

function valueMatches(nums, truth, tol) {
  const t = flat(truth);
  if (nums.length !== t.length) {
    // A reduced loss reported for a 'none' truth (or the reverse) is a different number.
    return false;
  }
  return nums.every((x, k) => close(x, t[k], tol));
}

/** The lines a claim may be judged on: its `lines` when given, else its `line`. */
const claimLines = (c) => (Array.isArray(c.lines) && c.lines.length ? c.lines : [c.line]);
const sameCell = (a, b) => (a ?? null) === (b ?? null);

function scoreSnippet(snippet, scanned, tol) {
  const r = {
    id: snippet.id,
    file: snippet.file,
    losses: snippet.losses.length,
    found: 0,
    wrongNumbers: 0,
    unverifiedLosses: 0,
    missed: 0,
    falsePairs: 0,
    intermediatePairs: 0,
    unverifiedPairs: 0,
    duplicatePairs: 0,
    refusals: snippet.refusals?.length ?? 0,
    refusalsHonoured: 0,
    claims: snippet.claims.length,
    wrongClaims: snippet.claims.filter((c) => !c.right).length,
    caught: 0,
    falseAlarms: 0,
    claimsHeld: 0,
    claimsUnverified: 0,
    claimsUnjudged: 0,
    crash: null,
    details: [],
    lossResults: [],
  };
  if (scanned.crash) {
    r.crash = scanned.crash;
    r.missed = r.losses;
    r.claimsUnjudged = r.claims;
    r.lossResults = snippet.losses.map((l) => ({ loss: l, outcome: 'missed' }));
    return r;
  }
  const file = scanned.file;
  const pairs = file.pairs ?? [];
  const matches = new Map(snippet.losses.map((l) => [l.id, []]));
  for (const p of pairs) {
    const nums = pairNumbers(p);
    const callLine = p.call?.line ?? null;
    const pairCell = p.call?.cell ?? p.cell ?? p.logits?.cell ?? null;
    let cands = [];
    if (callLine !== null && p.call.kind !== 'inferred')
      cands = snippet.losses.filter((l) => l.lines.includes(callLine) && sameCell(l.cell, pairCell));
    if (cands.length === 0)
      cands = snippet.losses.filter(
        (l) =>
          l.input.line === p.logits?.line &&
          l.target.line === p.target?.line &&
          sameCell(l.input.cell, p.logits?.cell) &&
          (callLine === null || p.call.kind === 'inferred' || !l.lines.length),
      );
    if (cands.length > 1) {
      const byArrays = cands.filter((l) => l.input.line === p.logits?.line && l.target.line === p.target?.line);
      if (byArrays.length) cands = byArrays;
    }
    if (cands.length > 1 && nums) {
      const byValue = cands.filter((l) => valueMatches(nums, l.value, tol));
      if (byValue.length) cands = byValue;
    }
    if (cands.length > 1) {
      const free = cands.filter((l) => matches.get(l.id).length === 0);
      if (free.length) cands = free;
    }
    const where = `line ${callLine ?? p.logits?.line}${pairCell !== null ? ` cell ${pairCell}` : ''}`;
    if (cands.length === 0) {
      // A helper followed per call has one vector per call on the same line: any of them may match.
      const inters =
        nums === null || callLine === null
          ? []
          : (snippet.intermediates ?? []).filter(
              (v) => (v.lines?.length ? v.lines : [v.line]).includes(callLine) && sameCell(v.cell, pairCell),
            );
      if (nums === null) r.unverifiedPairs++;
      else if (inters.some((v) => valueMatches(nums, v.value, tol))) r.intermediatePairs++;
      else if (inters.length) {
        r.wrongNumbers++;
        r.details.push(
          `wrong number for the intermediate vector at ${where}: reported ${nums.slice(0, 4).join(', ')}, truth ${flat(inters[0].value).slice(0, 4).join(', ')}`,
        );
      } else {
        r.falsePairs++;
        r.details.push(
          `false pair at ${where}: ${p.logits?.name} × ${p.target?.name} = ${nums.slice(0, 4).join(', ')}`,
        );
      }
      continue;
    }
    matches.get(cands[0].id).push({ pair: p, nums });
  }
  for (const l of snippet.losses) {
    const ms = matches.get(l.id);
    if (ms.length > 1) r.duplicatePairs += ms.length - 1;
    const numeric = ms.filter((m) => m.nums !== null);
    let outcome;
    if (numeric.some((m) => !valueMatches(m.nums, l.value, tol))) {
      outcome = 'wrong';
      r.wrongNumbers++;
      const bad = numeric.find((m) => !valueMatches(m.nums, l.value, tol));
      r.details.push(
        `wrong number for loss ${l.id} (line ${l.line}): reported ${bad.nums.slice(0, 4).join(', ')}, truth ${flat(l.value).slice(0, 4).join(', ')}`,
      );
    } else if (numeric.length) {
      outcome = 'found';
      r.found++;
    } else if (ms.length) {
      outcome = 'unverified';
      r.unverifiedLosses++;
    } else {
      outcome = 'missed';
      r.missed++;
      r.details.push(`missed loss ${l.id} at line ${l.line}${l.cell !== undefined ? ` cell ${l.cell}` : ''}`);
    }
    r.lossResults.push({ loss: l, outcome });
  }
  for (const f of snippet.refusals ?? []) {
    const numericThere = pairs.some(
      (p) => p.call?.line === f.line && sameCell(p.call?.cell, f.cell) && pairNumbers(p) !== null,
    );
    if (!numericThere) r.refusalsHonoured++;
    else r.details.push(`a number was reported at line ${f.line}, which must be refused: ${f.reason}`);
  }
  const reported = file.claims ?? [];
  for (const c of snippet.claims) {
    let here = reported.filter((d) => claimLines(c).includes(d.line) && sameCell(d.cell, c.cell));
    // Several values printed on one line (`print(a, b)  # tensor(0.5389) tensor(0.5398)`): each
    // manifest claim is judged by the reported claims with its own text, when there are such.
    const sameText = here.filter((d) => typeof d.text === 'string' && d.text === c.text);
    const sharing = snippet.claims.filter((o) => o !== c && claimLines(o).some((l) => claimLines(c).includes(l)));
    if (sameText.length && sharing.length) here = sameText;
    // A reported claim with exactly another claim's text on the line is that claim's, not this one's.
    else if (sharing.length) here = here.filter((d) => !sharing.some((o) => o.text === d.text));
    // Several losses' values on one line (`BCE: 0.3711 CE: 0.5996`): a reported claim about a pair
    // matched to this claim's loss is this claim's (docs/detection.md 3.189).
    if (sharing.length && c.loss && here.length > 1) {
      const mine = matches.get(c.loss) ?? [];
      const own = here.filter((d) => mine.some((m) => m.pair.id === d.pair));
      if (own.length) here = own;
    }
    const status = here.some((d) => d.status === 'wrong')
      ? 'wrong'
      : here.some((d) => d.status === 'holds')
        ? 'holds'
        : here.length
          ? 'unverified'
          : null;
    if (!c.right) {
      if (status === 'wrong') r.caught++;
      else r.details.push(`wrong claim not caught at line ${c.line}: ${c.text} (${status ?? 'not read'})`);
    } else if (status === 'wrong') {
      r.falseAlarms++;
      r.details.push(`false alarm at line ${c.line}: ${c.text} holds`);
    }
    if (status === 'holds') r.claimsHeld++;
    else if (status === 'unverified') r.claimsUnverified++;
    else if (status === null) r.claimsUnjudged++;
  }
  for (const d of reported) {
    if (d.status !== 'wrong') continue;
    if (!snippet.claims.some((c) => claimLines(c).includes(d.line) && sameCell(d.cell, c.cell))) {
      r.falseAlarms++;
      r.details.push(`false alarm at line ${d.line}: ${d.text} is not a claim about a loss`);
    }
  }
  return r;
}

const keys = [
  'losses',
  'found',
  'wrongNumbers',
  'unverifiedLosses',
  'missed',
  'falsePairs',
  'intermediatePairs',
  'unverifiedPairs',
  'refusals',
  'refusalsHonoured',
  'claims',
  'wrongClaims',
  'caught',
  'falseAlarms',
  'claimsHeld',
  'claimsUnverified',
];

function sum(rows) {
  const t = Object.fromEntries(keys.map((k) => [k, 0]));
  for (const r of rows) for (const k of keys) t[k] += r[k];
  t.crashes = rows.filter((r) => r.crash).length;
  return t;
}

const pct = (a, b) => (b === 0 ? '   -' : `${((100 * a) / b).toFixed(0).padStart(3)}%`);

function groupRecall(results, keyOf) {
  const groups = new Map();
  for (const r of results)
    for (const lr of r.lossResults)
      for (const k of keyOf(r, lr.loss)) {
        const g = groups.get(k) ?? { total: 0, found: 0, wrong: 0, unverified: 0, missed: 0 };
        g.total++;
        if (lr.outcome === 'found') g.found++;
        else if (lr.outcome === 'wrong') g.wrong++;
        else if (lr.outcome === 'unverified') g.unverified++;
        else g.missed++;
        groups.set(k, g);
      }
  return [...groups.entries()].sort((a, b) => b[1].total - b[1].found - (a[1].total - a[1].found));
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(args.manifest, 'utf8'));
  } catch (err) {
    usage(`cannot read the manifest ${args.manifest}: ${/** @type {Error} */ (err).message}`);
  }
  if (!Array.isArray(manifest.snippets)) usage('the manifest has no "snippets" array');
  if (!existsSync(args.cli)) usage(`${args.cli} does not exist: run npm run build first`);
  const tol = { relative: 1e-4, absolute: 1e-6, ...(manifest.tolerance ?? {}) };
  const snippets = manifest.snippets.filter((s) => !args.only || args.only.has(s.id));
  const paths = snippets.map((s) => resolve(args.dir, s.file));
  const scanned = scanFiles(args.cli, paths);
  const results = snippets.map((s, k) => scoreSnippet(s, scanned.get(paths[k]), tol));

  const lines = [];
  const head = 'id     losses found wrong unver missed false | refusals ok | claims wrong caught alarms';
  if (!args.quiet) {
    lines.push(head);
    for (const r of results) {
      lines.push(
        `${r.id.padEnd(6)} ${String(r.losses).padStart(6)} ${String(r.found).padStart(5)} ${String(r.wrongNumbers).padStart(5)} ${String(r.unverifiedLosses).padStart(5)} ${String(r.missed).padStart(6)} ${String(r.falsePairs).padStart(5)} | ${String(r.refusals).padStart(8)} ${String(r.refusalsHonoured).padStart(2)} | ${String(r.claims).padStart(6)} ${String(r.wrongClaims).padStart(5)} ${String(r.caught).padStart(6)} ${String(r.falseAlarms).padStart(6)}${r.crash ? `  CRASH ${r.crash}` : ''}`,
      );
      for (const d of r.details) lines.push(`         ${d}`);
    }
    lines.push('');
  }
  const t = sum(results);
  const originals = sum(results.filter((r) => !manifest.snippets.find((s) => s.id === r.id)?.variant_of));
  lines.push(
    `snippets            ${results.length} (${results.length - snippets.filter((s) => s.variant_of).length} as found, ${snippets.filter((s) => s.variant_of).length} wrong-claim variants)`,
  );
  lines.push(`losses              ${originals.losses} in the snippets as found`);
  lines.push(`  found             ${originals.found} (recall ${pct(originals.found, originals.losses).trim()})`);
  lines.push(`  wrong numbers     ${originals.wrongNumbers}`);
  lines.push(`  unverified        ${originals.unverifiedLosses}`);
  lines.push(`  missed            ${originals.missed}`);
  lines.push(
    `false pairs         ${originals.falsePairs} (pairs without a number outside the truth - unverified, or refused with an error: ${originals.unverifiedPairs})`,
  );
  lines.push(
    `intermediate pairs  ${originals.intermediatePairs} (right per-element vectors reduced later: optional, not counted as found)`,
  );
  lines.push(`refusals honoured   ${originals.refusalsHonoured} of ${originals.refusals}`);
  lines.push(
    `claims              ${originals.claims} in the snippets as found (${originals.wrongClaims} wrong as published); held ${originals.claimsHeld}, unverified ${originals.claimsUnverified}`,
  );
  lines.push(`wrong claims caught ${t.caught} of ${t.wrongClaims} (all snippets and variants)`);
  lines.push(`false alarms        ${t.falseAlarms}`);
  lines.push(`scan crashes        ${t.crashes}`);
  const byFamily = groupRecall(
    results.filter((r) => !manifest.snippets.find((s) => s.id === r.id)?.variant_of),
    (r, l) => {
      const s = manifest.snippets.find((x) => x.id === r.id);
      // Negative families describe what must not pair; a loss is credited to the rest.
      return [...new Set([...(s.families ?? []).filter((f) => !f.startsWith('neg.')), ...(l.families ?? [])])];
    },
  );
  const byLibrary = groupRecall(
    results.filter((r) => !manifest.snippets.find((s) => s.id === r.id)?.variant_of),
    (_r, l) => [l.library ?? 'torch'],
  );
  if (!args.quiet) {
    lines.push('', 'recall by library (most losses not found first)');
    for (const [k, g] of byLibrary)
      lines.push(
        `  ${k.padEnd(40)} ${String(g.found).padStart(4)} / ${String(g.total).padEnd(4)} ${pct(g.found, g.total)}  wrong ${g.wrong}, unverified ${g.unverified}`,
      );
    lines.push('', 'recall by family (most losses not found first)');
    for (const [k, g] of byFamily)
      lines.push(
        `  ${k.padEnd(40)} ${String(g.found).padStart(4)} / ${String(g.total).padEnd(4)} ${pct(g.found, g.total)}  wrong ${g.wrong}, unverified ${g.unverified}`,
      );
  }
  process.stdout.write(lines.join('\n') + '\n');
  if (args.json) {
    writeFileSync(
      args.json,
      JSON.stringify(
        {
          totals: t,
          originals,
          byLibrary: Object.fromEntries(byLibrary),
          byFamily: Object.fromEntries(byFamily),
          snippets: results.map(({ lossResults, ...r }) => ({
            ...r,
            losses_outcome: lossResults.map((x) => ({ id: x.loss.id, outcome: x.outcome })),
          })),
        },
        null,
        1,
      ),
    );
  }
}

main();
