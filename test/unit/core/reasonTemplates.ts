/**
 * The reason templates of the detection layer, read from its sources: every string or template
 * literal that becomes the English "why" of an unverified pair or claim. A literal is a reason
 * when it is the value given to a reason field (`why:`, `unverified:`, `reason:` …), assigned to a
 * reason variable (`why = …`, `unverified ??= …`), handed to the replay's "not followed", or
 * returned by a function whose result is a reason (a `string | null` "why not" check). Through
 * `a ? b : c`, `a ?? b`, `a || b` and parentheses; a `${…}` that picks between literals gives each.
 *
 * Each template is instantiated with sample values for its `${…}` parts, so a test can ask the
 * translator whether it recognises the sentence.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** Names of fields and variables that hold a reason (or a fragment a reason is made of). */
const reasonNames = new Set([
  'why',
  'unverified',
  'reason',
  'raised',
  'changedAll',
  'unsupported',
  'tupleFirst',
  'unknown',
  'unsettled',
  // A recogniser's check of a call's extra arguments (`callIssue: (call) => … ? 'why' : undefined`).
  'callIssue',
]);
/** Functions typed `string` whose result is a reason all the same. */
const reasonFunctions = new Set(['missingValues']);
/** Calls whose argument is a reason: the replay's "not followed". */
const reasonCalls = new Set(['notFollowed', 'NotFollowed']);
/** The `{ k: 'unsupported', what }` statements whose `what` a reason names ("its body has a for loop"). */
const fragmentObjects = /k: 'unsupported'/;

/** The value a `${…}` takes in a sample: a name that no pattern reads as a reason. */
const sample = 'x1';

export interface ReasonTemplate {
  /** Where it is written: file (from the repository root) and line. */
  at: string;
  /** The template as written. */
  source: string;
  /** The sentences it gives with sample values (one per choice of its conditional parts). */
  samples: string[];
}

/** Words outside code: a reason, not a module path or a code fragment (`mlx.core`, `\`yield\``). */
function isSentence(text: string): boolean {
  return /[a-z]{2,}\s+[a-z]{2,}/i.test(text.replace(/`[^`]*`/g, ' ').replaceAll(sample, ' '));
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The sentences a string expression can be: literals through `?:`, `??`, `||`, `(…)`; null when it is no literal. */
function values(node: ts.Expression): string[] | null {
  if (ts.isParenthesizedExpression(node)) return values(node.expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isTemplateExpression(node)) {
    let out = [node.head.text];
    for (const span of node.templateSpans) {
      const parts = choices(span.expression);
      out = out.flatMap((o) => parts.map((p) => o + p + span.literal.text));
    }
    return out;
  }
  return null;
}

/** The texts a `${…}` can put in: each literal branch of a conditional, else the sample. */
function choices(node: ts.Expression): string[] {
  if (ts.isParenthesizedExpression(node)) return choices(node.expression);
  if (ts.isConditionalExpression(node)) return [...choices(node.whenTrue), ...choices(node.whenFalse)];
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
    return choices(node.left);
  const v = values(node);
  // An empty literal branch (`long ? '…' : ''`) stays empty; anything computed is the sample.
  return v ?? [sample];
}

/** The literal sentences of a reason expression (each branch of `?:`, both sides of `??` / `||`). */
function reasonValues(node: ts.Expression): string[] {
  if (ts.isParenthesizedExpression(node)) return reasonValues(node.expression);
  // A function that gives the reason: its expression body.
  if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) return reasonValues(node.body);
  if (ts.isConditionalExpression(node)) return [...reasonValues(node.whenTrue), ...reasonValues(node.whenFalse)];
  if (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      node.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  )
    return [...reasonValues(node.left), ...reasonValues(node.right)];
  return values(node) ?? [];
}

function nameOf(node: ts.Node): string | null {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isPropertyAssignment(node) || ts.isVariableDeclaration(node))
    return ts.isIdentifier(node.name) ? node.name.text : null;
  return null;
}

const assignments = new Set([
  ts.SyntaxKind.EqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
]);

/** Whether a function returns a reason: `string | null`, `number[] | string` (a value or why not), or is listed. */
function returnsReason(fn: ts.Node | undefined, sf: ts.SourceFile): boolean {
  if (!fn || !(ts.isFunctionDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return false;
  if (ts.isFunctionDeclaration(fn) && reasonFunctions.has(fn.name?.text ?? '')) return true;
  // A union with `string`: the string is the reason the other member (a value, a shape, null) is not given.
  const members = (fn.type?.getText(sf) ?? '').split('|').map((m) => m.trim());
  return members.length > 1 && members.includes('string');
}

function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let n = node.parent; n; n = n.parent)
    if (ts.isFunctionDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isMethodDeclaration(n))
      return n;
  return undefined;
}

/** Every reason template in the given directories (relative to `root`). */
export function reasonTemplates(root: string, dirs: string[], files: string[] = []): ReasonTemplate[] {
  const out: ReasonTemplate[] = [];
  for (const file of [...dirs.flatMap((d) => sources(join(root, d))), ...files.map((f) => join(root, f))]) {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const add = (expr: ts.Expression | undefined) => {
      if (!expr) return;
      const samples = reasonValues(expr).filter(isSentence);
      if (!samples.length) return;
      const line = sf.getLineAndCharacterOfPosition(expr.getStart(sf)).line + 1;
      out.push({ at: `${relative(root, file)}:${line}`, source: expr.getText(sf), samples: [...new Set(samples)] });
    };
    const visit = (n: ts.Node): void => {
      if ((ts.isPropertyAssignment(n) || ts.isVariableDeclaration(n)) && reasonNames.has(nameOf(n) ?? ''))
        add(n.initializer);
      else if (ts.isPropertyAssignment(n) && nameOf(n) === 'what' && fragmentObjects.test(n.parent.getText(sf)))
        add(n.initializer);
      else if (
        ts.isBinaryExpression(n) &&
        assignments.has(n.operatorToken.kind) &&
        reasonNames.has(nameOf(n.left) ?? '')
      )
        add(n.right);
      else if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && reasonCalls.has(nameOf(n.expression) ?? ''))
        add(n.arguments?.[0]);
      else if (ts.isReturnStatement(n) && n.expression && returnsReason(enclosingFunction(n), sf)) add(n.expression);
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}
