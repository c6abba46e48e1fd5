/**
 * `loss-inspector check [--format text|json|github] FILE...`: verifies the loss values that
 * comments and printed outputs claim. Meant for tutorial repositories' CI (docs/cli.md).
 *
 * Exit codes: 0 every claim found holds and every file was read and parsed (unverifiable claims
 * are listed but do not fail); 1 a claim does not hold, or a file has a parse error (the claims
 * past it may be hidden, so the file is not counted as checked); 2 usage error, or a file could
 * not be read or analysed. 2 wins over 1.
 */
import type { ClaimAnalysis, DocumentAnalysis, Finding } from '../core/detection';
import type { CliIo } from './io';
import { JsonFilesWriter, analyzeFile, failureJson, failureLine, fileSettings, type FileOutcome } from './scan';
import { claimText, fileJson, where } from './scanFormat';
import { SafeLineWriter, githubData, githubProperty } from './terminal';

const usage =
  'Usage: loss-inspector check [--format text|json|github] [--dtype float32|float64] [--max-bytes N] FILE...';

interface Tally {
  holds: number;
  wrong: number;
  unverified: number;
  /** Files with a parse error: analysed only in part. */
  incomplete: number;
  /** Files that could not be read or analysed. */
  unreadable: number;
}

/** The parse errors of a document: where the reader gave up on part of the file. */
function parseErrors(doc: DocumentAnalysis): Finding[] {
  return doc.findings.filter((f) => f.code === 'parse_error');
}

function parseErrorText(path: string, f: Finding): string {
  return `${where(path, f.line, f.cell)}: parse error (${f.message}): claims past it may be hidden, so the file is not counted as checked`;
}

/**
 * `::error file=…,line=…::message`. A notebook's lines count inside a cell, not in the file
 * GitHub shows, so there the cell and line go into the message; `at` null: the whole file.
 */
function annotation(
  kind: 'error' | 'warning',
  path: string,
  at: { line: number; cell?: number } | null,
  message: string,
): string {
  const line = at && at.cell === undefined ? `,line=${at.line}` : '';
  const prefix = at && at.cell !== undefined ? `cell ${at.cell + 1}, line ${at.line}: ` : '';
  return `::${kind} file=${githubProperty(path)}${line}::${githubData(prefix + message)}`;
}

function claimAnnotation(path: string, c: ClaimAnalysis): string {
  if (c.status === 'wrong') {
    const computed = c.expected ? `${c.expected} (${c.computed})` : String(c.computed);
    return annotation('error', path, c, `claimed ${c.text}, computed ${computed}`);
  }
  return annotation('warning', path, c, `${c.text} unverified: ${c.reason ?? 'cannot be computed'}`);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function summary(t: Tally): string {
  const total = t.holds + t.wrong + t.unverified;
  let s = `${plural(total, 'claim')}: ${t.holds} hold, ${t.wrong} wrong, ${t.unverified} unverified`;
  if (t.incomplete) s += `; ${plural(t.incomplete, 'file')} not fully checked (parse error)`;
  if (t.unreadable) s += `; ${plural(t.unreadable, 'file')} unreadable`;
  return s;
}

/** Runs `check`; returns the exit code. */
export function runCheck(args: readonly string[], io: CliIo): number {
  const settings = fileSettings(args, ['text', 'json', 'github']);
  if (typeof settings === 'string') {
    io.err(`${settings}\n${usage}\n`);
    return 2;
  }
  const tally: Tally = { holds: 0, wrong: 0, unverified: 0, incomplete: 0, unreadable: 0 };
  const json = settings.format === 'json' ? new JsonFilesWriter(io) : undefined;
  const text = new SafeLineWriter((s) => io.out(s));
  // Annotations are built from already escaped parts: written as they are.
  const github = (line: string): void => io.out(line + '\n');
  for (const path of settings.files) {
    if (io.outClosed()) break;
    const outcome: FileOutcome = analyzeFile(path, io, settings);
    if ('failure' in outcome) {
      tally.unreadable++;
      io.err(failureLine(outcome));
      if (json) json.file({ ...failureJson(outcome), status: 'unreadable' });
      else if (settings.format === 'github') {
        const what = outcome.failure === 'unreadable' ? 'cannot read' : 'internal error';
        github(annotation('error', path, null, `${what}: ${outcome.message}`));
      }
      continue;
    }
    const doc = outcome.doc;
    const errors = parseErrors(doc);
    let wrong = 0;
    for (const c of doc.claims) {
      if (c.status === 'holds') {
        tally.holds++;
        continue;
      }
      if (c.status === 'wrong') wrong++;
      else tally.unverified++;
      if (settings.format === 'text') text.line(claimText(path, c));
      else if (settings.format === 'github') github(claimAnnotation(path, c));
    }
    tally.wrong += wrong;
    if (errors.length) {
      tally.incomplete++;
      const first = errors[0];
      if (settings.format === 'text') text.line(parseErrorText(path, first));
      else if (settings.format === 'github') {
        github(
          annotation(
            'error',
            path,
            first,
            `parse error (${first.message}): claims past it may be hidden, so the file is not counted as checked`,
          ),
        );
      }
    }
    text.flush();
    if (json) {
      const status = wrong ? 'wrong' : errors.length ? 'incomplete' : 'ok';
      json.file({ ...fileJson(path, doc), status });
    }
  }
  const code = tally.unreadable > 0 ? 2 : tally.wrong > 0 || tally.incomplete > 0 ? 1 : 0;
  if (json) {
    json.end({
      ok: code === 0,
      holds: tally.holds,
      wrong: tally.wrong,
      unverified: tally.unverified,
      incomplete: tally.incomplete,
      unreadable: tally.unreadable,
    });
  } else {
    text.line(summary(tally));
    text.flush();
  }
  return code;
}
