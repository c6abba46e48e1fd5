/**
 * Names and what they hold, in nested scopes (module, def, JS block), so every use sees the
 * latest assignment above it. Also the cheap filter that lets most statements of a long file be
 * skipped unparsed: the hashes of names that matter (hot) and of names bound to constants (warm).
 */
import type { DetectionContext } from './context';
import { maxNesting } from './literals';
import { assignedOnce } from './methods';
import { opaqueCallOf } from './opaqueCalls';
import { allHotNames, defaultNames, hotNames, lossFnName } from './names';
import { HashSet } from './hashSet';
import { hashName } from './tokens';
import { withArray, type Value } from './values';

/**
 * What owns a scope. A class body's names are not visible to its methods (Python resolves a bare
 * name in a method to the enclosing function or module), but the attributes its set-up methods
 * assign to `self` are: unittest runs `setUp` before every test method. A `loop` scope holds a
 * replayed module-level loop's names (replay.ts, runLoop): Python gives a loop no scope of its own, so
 * it counts as the module's.
 */
export type ScopeKind = 'block' | 'class' | 'setup' | 'loop';

interface Scope {
  vars: Map<string, Value>;
  /** Python: indentation of the def/class header owning the scope (-1 for the module and JS blocks). */
  indent: number;
  kind: ScopeKind;
  /**
   * A followed call's scope (replay.ts): the scope the function was defined in. Python resolves a
   * name the function does not bind there (lexical scope), never in its caller's locals: the scopes
   * between (the caller's) are passed over, but for module-level loops' ({@link ScopeKind}).
   */
  home?: ReadonlyMap<string, unknown>;
  /** A class's scope: the class's name (its attributes are counted per class: methods.ts). */
  owner?: string;
}

/** `self.x` / `cls.x`: an attribute of the instance or class whose methods are being read. */
const selfAttribute = /^(?:self|cls)\.[A-Za-z_]\w*$/;

/** {@link selfAttribute}'s answer, the expression run only on names that start `self.` or `cls.` (most lookups miss). */
function isSelfAttribute(name: string): boolean {
  return (name.startsWith('self.') || name.startsWith('cls.')) && selfAttribute.test(name);
}

/**
 * The key a set-up attribute is kept under in its class's scope: `self.x` for both `self.x` and
 * `cls.x`, so that what `setUpClass` assigns to `cls.x` is read as `self.x` in every test method
 * (an instance sees its class's attributes) and the other way round.
 */
function attributeKey(name: string): string {
  return name.startsWith('cls.') ? 'self.' + name.slice(4) : name;
}

/** Does a value matter to detection (so statements mentioning its name must be read)? */
export function relevant(v: Value): boolean {
  switch (v.kind) {
    case 'number':
      // A log-probability worked out over numbers (recognisers/floatPicks.ts): a later sum of it is a loss.
      return v.picked !== undefined;
    case 'string':
      return false;
    case 'unknown':
      return v.lossy;
    case 'sequence':
      return v.items.some(relevant);
    case 'dict':
      // A dict of options (`cfg = {"eps": 0.1}`): a statement reading it (`eps = cfg.get("eps")`) is read.
      return true;
    case 'namespace':
      return allHotNames.has(v.path.slice(v.path.lastIndexOf('.') + 1));
    default:
      return true;
  }
}

export class Scopes {
  private readonly stack: Scope[] = [{ vars: new Map(), indent: -1, kind: 'block' }];
  /** JS blocks opened beyond {@link maxNesting} scopes: only counted. */
  private uncounted = 0;
  /** Hashes of names that make a statement worth reading (bound names, known modules). */
  readonly hot = new HashSet(hotNames.map(hashName));
  /** Names bound to constants (numbers, strings): statements assigning them must be read. */
  readonly warm = new HashSet();

  constructor(private readonly ctx: DetectionContext) {}

  get depth(): number {
    return this.stack.length;
  }

  /**
   * Python: is a statement here in a function's body (a `def` read, or a call followed), loops in
   * it included? A module-level loop's scope is not a function's: its names are the module's.
   */
  inFunction(): boolean {
    for (let i = this.stack.length - 1; i > 0; i--) {
      const kind = this.stack[i].kind;
      if (kind !== 'loop') return kind === 'block' || kind === 'setup';
    }
    return false;
  }

  /** Back to the module scope (a new Python segment). */
  reset(): void {
    this.stack.length = 1;
    this.uncounted = 0;
  }

  /**
   * Enters a scope (`def`, `class`, a JS block); `indent` is the Python header's indentation.
   * `kind`: a class body, a set-up method of a class (`setUp`, `__init__`), or anything else.
   */
  push(
    indent: number,
    kind: ScopeKind = 'block',
    home?: ReadonlyMap<string, unknown>,
    vars = new Map<string, Value>(),
    owner?: string,
  ): Map<string, Value> {
    if (this.stack.length >= maxNesting) {
      this.uncounted++;
      return vars;
    }
    this.stack.push(owner === undefined ? { vars, indent, kind, home } : { vars, indent, kind, home, owner });
    return vars;
  }

  /** The scope a function defined here closes over: the innermost one, a module-level loop's being the module's. */
  current(): Map<string, Value> {
    let i = this.stack.length - 1;
    while (i > 0 && this.stack[i].kind === 'loop') i--;
    return this.stack[i].vars;
  }

  pop(): void {
    if (this.uncounted > 0) this.uncounted--;
    else if (this.stack.length > 1) this.stack.pop();
  }

  /** Python: leaves the def scopes a statement at `indent` is no longer inside. */
  dedent(indent: number): void {
    while (this.stack.length > 1 && indent <= this.stack[this.stack.length - 1].indent) this.stack.pop();
  }

  lookup(name: string): Value | undefined {
    const top = this.stack.length - 1;
    // Inside a followed call: the scope it was defined in, not yet reached (its caller's are passed over).
    let home: ReadonlyMap<string, unknown> | undefined;
    for (let i = top; i >= 0; i--) {
      const scope = this.stack[i];
      if (home !== undefined) {
        if (scope.vars !== home && scope.kind !== 'loop') continue;
        if (scope.vars === home) home = undefined;
      }
      // A method sees its class's set-up attributes (`self.x`), never the class body's bare names.
      if (scope.kind === 'class' && i !== top && !isSelfAttribute(name)) {
        // A followed method's class (methods.ts): its bare names are its defining scope's.
        if (scope.home !== undefined) home = scope.home;
        continue;
      }
      const v = scope.vars.get(scope.kind === 'class' && i !== top ? attributeKey(name) : name);
      // A set-up attribute the file assigns again elsewhere: which value a method sees depends on the order of calls.
      if (v !== undefined && scope.owner !== undefined && i !== top && !assignedOnce(this.ctx.whole, scope.owner, name))
        return undefined;
      if (v !== undefined) return v;
      if (scope.home !== undefined) home = scope.home;
    }
    // The defining scope is gone (a function made inside a call that has returned): its names are not known here.
    if (home !== undefined) return undefined;
    // `self.x` where x is a class attribute (`x = np.array(...)` in the class body).
    if (isSelfAttribute(name)) {
      const cls = this.enclosingClass();
      if (cls) return cls.vars.get(name.slice(name.indexOf('.') + 1));
    }
    return undefined;
  }

  /** The class whose method is being read (the class scope right under the method's scope). */
  private enclosingClass(): Scope | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) if (this.stack[i].kind === 'class') return this.stack[i];
    return undefined;
  }

  /** Sets a name in the innermost scope without the bookkeeping of {@link bind} (loop variables, parameters). */
  shadow(name: string, value: Value): void {
    this.stack[this.stack.length - 1].vars.set(name, value);
  }

  /**
   * Sets every bound name, in every scope, for which `changed` holds to `value` (an object changed in
   * place: changes.ts). Returns how many bindings were looked at.
   */
  replaceAll(changed: (name: string, v: Value) => boolean, value: Value): number {
    let seen = 0;
    for (const scope of this.stack) {
      seen += scope.vars.size;
      for (const [name, v] of scope.vars) if (changed(name, v)) scope.vars.set(name, value);
    }
    return seen;
  }

  /** Sets a bound name: `self.x = ...` in `setUp` / `__init__` holds for every method of the class. */
  private place(name: string, value: Value): void {
    const top = this.stack[this.stack.length - 1];
    // (No read below the module scope: index −1 is a property lookup V8 does not optimise.)
    const below = this.stack.length > 1 ? this.stack[this.stack.length - 2] : undefined;
    if (top.kind === 'setup' && below?.kind === 'class' && isSelfAttribute(name))
      below.vars.set(attributeKey(name), value);
    else this.shadow(name, value);
  }

  /** Module aliases (np, F) are not worth watching by themselves; imported functions are. */
  bindGlobal(name: string, value: Value): void {
    if (relevant(value)) this.hot.add(hashName(name));
    this.shadow(name, value);
  }

  /**
   * `name = value` (span: the value expression). A fresh literal takes the name (and the
   * assignment's span); a loss names its result.
   */
  bind(name: string, value: Value, span?: [number, number]): void {
    if (value.kind === 'unknown' && !value.lossy && !value.none) {
      // `w = None` is bound (a later `w is None` is decided: conditions.ts). An unknown value only matters when it hides something known (or a module alias).
      // A loss-like name bound to something not known here (`loss_fn = ProjectLoss()`) is kept, so
      // that a call to it is not taken for a loss defined elsewhere.
      const old = this.lookup(name);
      // `actual = ProjectLoss(…)(logits, labels)`: a project's call on arrays of the source, which a test
      // may assert equal to a library loss (recognisers/assertedEqual.ts).
      const onArrays = opaqueCallOf(value)?.args.some((x) => x.kind === 'array') === true;
      if (old !== undefined || defaultNames.has(name) || lossFnName.test(name) || onArrays) this.place(name, value);
      return;
    }
    if (value.kind === 'array') {
      const a = value.array;
      // A literal converted, reshaped or indexed on its way to the name (`torch.tensor(…).view(2, 3)`,
      // `np.eye(3)[[2, 0]]`) is reached only through it: it takes the name if it has none.
      if (a.site.name === null) a.site.name = name;
      if (a.fresh) {
        if (span && a.site.start > span[0]) this.ctx.setSiteSpan(a.site, span[0], a.site.end);
      }
      value = { kind: 'array', array: withArray(a, { name }) };
    } else if (value.kind === 'loss') {
      this.ctx.nameResult(value.pair, name);
    } else if (value.kind === 'dict') {
      for (const [key, v] of value.entries)
        if (v.kind === 'array' && v.array.site.name === null) v.array.site.name = key;
    } else if (value.kind === 'sequence') {
      value = {
        kind: 'sequence',
        items: value.items.map((v) =>
          v.kind === 'array' && v.array.fresh ? { kind: 'array', array: withArray(v.array, {}) } : v,
        ),
      };
    }
    this.place(name, value);
    // `self.criterion = ...` is used as `self.criterion(...)`: its last part is the token to watch.
    const h = hashName(name.slice(name.lastIndexOf('.') + 1));
    if (relevant(value)) this.hot.add(h);
    else this.warm.add(h);
  }
}
