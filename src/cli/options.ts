/** Command-line options shared by the commands: flags, options with a value, and file arguments. */

export interface ParsedArgs {
  flags: Set<string>;
  values: Map<string, string>;
  positionals: string[];
}

/**
 * Splits `args` into known flags, known `--name value` / `--name=value` options, and the rest
 * (after `--`, everything is a positional). Returns an error message for unknown options or a
 * missing value.
 */
export function parseArgs(
  args: readonly string[],
  flagNames: readonly string[],
  valueNames: readonly string[],
): ParsedArgs | string {
  const out: ParsedArgs = { flags: new Set(), values: new Map(), positionals: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      out.positionals.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '-') {
      out.positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq < 0 ? a : a.slice(0, eq);
    if (valueNames.includes(name)) {
      const value = eq < 0 ? args[++i] : a.slice(eq + 1);
      if (value === undefined) return `${name} needs a value.`;
      out.values.set(name, value);
    } else if (flagNames.includes(a)) out.flags.add(a);
    else return `Unknown option ${a}.`;
  }
  return out;
}

const byteUnits: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
};

/** `--max-bytes`: a whole number of bytes, optionally with KB, MB or GB (powers of 1024). */
export function parseByteCount(name: string, text: string): number | string {
  const m = /^(\d+)\s*([a-zA-Z]*)$/.exec(text.trim());
  const unit = m ? byteUnits[m[2].toLowerCase()] : undefined;
  const n = m && unit ? Number(m[1]) * unit : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    return `${name} takes a positive number of bytes, optionally with KB, MB or GB (got ${JSON.stringify(text)}).`;
  }
  return n;
}

/** `--max-elements`: a positive whole number (digits, `_` allowed between them). */
export function parseCount(name: string, text: string): number | string {
  const n = /^\d+(_\d+)*$/.test(text.trim()) ? Number(text.trim().replace(/_/g, '')) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) return `${name} takes a positive whole number (got ${JSON.stringify(text)}).`;
  return n;
}
