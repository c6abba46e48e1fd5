import * as vscode from 'vscode';
import type { DType } from '../core/types';

/** Where inline values are shown. */
export type InlineValuesMode = 'off' | 'currentLine' | 'all';

/** A typed snapshot of the `lossInspector.*` settings, re-read only when they change. */
export interface Config {
  enable: boolean;
  languages: string[];
  inlineValues: InlineValuesMode;
  /** ✓/✗ gutter marks on claim lines. */
  claimGutter: boolean;
  /** null = infer from the code. */
  dtype: DType | null;
  decimals: number;
  debounceMs: number;
  maxElements: number;
}

export const configSection = 'lossInspector';

/**
 * Settings that raise a limit or change what is read. In an untrusted workspace (Restricted Mode) the
 * workspace's own values for them are ignored: a cloned repository must not be able to make the
 * editor parse 50 M-number literals, analyse every keystroke or read more kinds of files. The user's
 * own (global) values still apply. package.json lists the same keys in
 * `capabilities.untrustedWorkspaces.restrictedConfigurations`, so VS Code drops them too; reading
 * through `isTrusted` here keeps that true on any host that does not.
 */
export const restrictedSettings: readonly string[] = ['maxElements', 'languages', 'debounceMs'];

/** Reads the settings once, with defaults and clamping for hand-edited values. */
export function readConfig(): Config {
  const all = vscode.workspace.getConfiguration(configSection);
  const trusted = vscode.workspace.isTrusted;
  const c = {
    get<T>(key: string, fallback?: T): T | undefined {
      if (trusted || !restrictedSettings.includes(key)) return all.get<T>(key) ?? fallback;
      const values = all.inspect<T>(key);
      return values?.globalValue ?? values?.defaultValue ?? fallback;
    },
  };
  const dtype = c.get<string>('dtype', 'fromCode');
  const inline = c.get<string>('inlineValues', 'all');
  const clampInt = (v: unknown, lo: number, hi: number, dflt: number) =>
    typeof v === 'number' && Number.isFinite(v) ? Math.min(hi, Math.max(lo, Math.round(v))) : dflt;
  return {
    enable: c.get<boolean>('enable', true) !== false,
    languages: (c.get<unknown[]>('languages') ?? []).filter((x): x is string => typeof x === 'string'),
    inlineValues: inline === 'off' || inline === 'currentLine' ? inline : 'all',
    claimGutter: c.get<boolean>('claimGutter', false) === true,
    dtype: dtype === 'float32' || dtype === 'float64' ? dtype : null,
    decimals: clampInt(c.get('decimals'), 0, 12, 4),
    debounceMs: clampInt(c.get('debounceMs'), 0, 5000, 300),
    maxElements: clampInt(c.get('maxElements'), 1000, 50_000_000, 5_000_000),
  };
}
