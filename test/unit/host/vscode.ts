/**
 * A small stand-in for the `vscode` module, for unit tests of host classes (DocumentAnalysisCache,
 * PanelModel) outside VS Code: the vitest project "host" aliases `vscode` to this file. It holds
 * only what those classes use, with events the tests fire themselves. The real API is exercised
 * by the integration suite in a real VS Code.
 */
type Listener<T> = (e: T) => unknown;

export class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>, thisArg?: unknown, disposables?: { dispose(): void }[]) => {
    const bound: Listener<T> = (e) => listener.call(thisArg, e);
    this.listeners.add(bound);
    const d = { dispose: () => void this.listeners.delete(bound) };
    disposables?.push(d);
    return d;
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  static file(path: string): Uri {
    return new Uri('file', path);
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
  get fsPath(): string {
    return this.path;
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(start: Position, end: Position);
  constructor(startLine: number, startCharacter: number, endLine: number, endCharacter: number);
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    this.start = typeof a === 'number' ? new Position(a, b as number) : a;
    this.end = typeof a === 'number' ? new Position(c ?? 0, d ?? 0) : (b as Position);
  }
}

export enum DiagnosticSeverity {
  Error = 0,
  Warning = 1,
  Information = 2,
  Hint = 3,
}

export class Diagnostic {
  source?: string;
  code?: unknown;
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly severity: DiagnosticSeverity,
  ) {}
}

export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}

export enum FileType {
  Unknown = 0,
  File = 1,
  Directory = 2,
  SymbolicLink = 64,
}

export class Selection extends Range {
  constructor(
    readonly anchor: Position,
    readonly active: Position,
  ) {
    super(anchor, active);
  }
}

export enum NotebookCellKind {
  Markup = 1,
  Code = 2,
}

export enum TextEditorSelectionChangeKind {
  Keyboard = 1,
  Mouse = 2,
  Command = 3,
}

export enum TextEditorRevealType {
  Default = 0,
  InCenter = 1,
  InCenterIfOutsideViewport = 2,
  AtTop = 3,
}

/** A text document whose text and version the test changes through {@link edit}. */
export class TextDocument {
  version = 1;
  readonly fileName: string;
  constructor(
    readonly uri: Uri,
    readonly languageId: string,
    private text: string,
  ) {
    this.fileName = uri.path;
  }
  getText(): string {
    return this.text;
  }
  offsetAt(p: Position): number {
    const lines = this.text.split('\n');
    let offset = 0;
    for (let i = 0; i < p.line; i++) offset += (lines[i]?.length ?? 0) + 1;
    return offset + p.character;
  }
  positionAt(offset: number): Position {
    const before = this.text.slice(0, offset).split('\n');
    return new Position(before.length - 1, before[before.length - 1]?.length ?? 0);
  }
  /**
   * Applies changes (offsets in the text before this event, as VS Code reports them), bumps the
   * version and fires `workspace.onDidChangeTextDocument`.
   */
  edit(changes: { offset: number; length: number; text: string }[]): void {
    for (const c of [...changes].sort((a, b) => b.offset - a.offset))
      this.text = this.text.slice(0, c.offset) + c.text + this.text.slice(c.offset + c.length);
    this.version++;
    events.changeText.fire({
      document: this,
      contentChanges: changes.map((c) => ({ rangeOffset: c.offset, rangeLength: c.length, text: c.text })),
    });
  }
}

/** The events a test fires. */
export const events = {
  changeText: new EventEmitter<unknown>(),
  changeNotebook: new EventEmitter<unknown>(),
  closeText: new EventEmitter<unknown>(),
  closeNotebook: new EventEmitter<unknown>(),
  visibleEditors: new EventEmitter<unknown>(),
  visibleNotebookEditors: new EventEmitter<unknown>(),
  selection: new EventEmitter<unknown>(),
  activeEditor: new EventEmitter<unknown>(),
  changeTabs: new EventEmitter<{ opened: unknown[]; closed: unknown[]; changed: unknown[] }>(),
};

/** An editor tab's input: the text document it shows. */
export class TabInputText {
  constructor(readonly uri: Uri) {}
}
export class TabInputNotebook {
  constructor(readonly uri: Uri) {}
}
export class TabInputTextDiff {
  constructor(
    readonly original: Uri,
    readonly modified: Uri,
  ) {}
}

/** The messages the host showed (status bar and warnings), newest last. */
export const messages: string[] = [];

/** `vscode.l10n.t` in English: fills `{0}`-style placeholders. */
export const l10n = {
  t: (message: string, ...args: unknown[]) =>
    message.replace(/\{(\d+)\}/g, (m, i) => (Number(i) < args.length ? String(args[Number(i)]) : m)),
};

export const workspace = {
  textDocuments: [] as TextDocument[],
  notebookDocuments: [] as unknown[],
  onDidChangeTextDocument: events.changeText.event,
  onDidChangeNotebookDocument: events.changeNotebook.event,
  onDidCloseTextDocument: events.closeText.event,
  onDidCloseNotebookDocument: events.closeNotebook.event,
  workspaceFolders: [] as { uri: Uri; name: string; index: number }[],
  /** What `findFiles` answers: the test lists what VS Code's search would find. */
  found: [] as Uri[],
  findFiles: async (_include: string, _exclude?: string, maxResults?: number): Promise<Uri[]> =>
    workspace.found.slice(0, maxResults),
  asRelativePath: (uri: Uri): string => {
    const folder = workspace.workspaceFolders.find((f) => uri.path.startsWith(f.uri.path + '/'));
    return folder ? uri.path.slice(folder.uri.path.length + 1) : uri.path;
  },
};

/** A notification the code showed, and what the test answers for it. */
export interface Shown {
  kind: 'information' | 'warning';
  message: string;
  items: string[];
}

/** The notifications and progress the code showed, and the commands it ran. */
export const shown = {
  messages: [] as Shown[],
  /** The item a test "clicks" on the next notification (undefined: dismissed). */
  answer: undefined as string | undefined,
  progress: [] as { options: { title?: string; cancellable?: boolean }; reports: { message?: string }[] }[],
  commands: [] as unknown[][],
};

const cancelProgressEvent = new EventEmitter<void>();
let progressCancelled = false;

/** The person presses Cancel on the running progress notification. */
export function cancelProgress(): void {
  progressCancelled = true;
  cancelProgressEvent.fire(undefined);
}

function notify(kind: Shown['kind']) {
  return async (message: string, ...items: string[]) => {
    shown.messages.push({ kind, message, items });
    messages.push(message);
    return shown.answer !== undefined && items.includes(shown.answer) ? shown.answer : undefined;
  };
}

export const commands = {
  executeCommand: async (...args: unknown[]) => {
    shown.commands.push(args);
    return undefined;
  },
};

export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}

/** A status bar item that records what it shows. */
export class StatusBarItem {
  text = '';
  tooltip: string | undefined = '';
  name = '';
  command = '';
  visible = false;
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  dispose(): void {}
}

/** The items the host created, newest last. */
export const statusBarItems: StatusBarItem[] = [];

export const window = {
  createStatusBarItem: (): StatusBarItem => {
    const item = new StatusBarItem();
    statusBarItems.push(item);
    return item;
  },
  visibleTextEditors: [] as { document: TextDocument }[],
  visibleNotebookEditors: [] as unknown[],
  activeTextEditor: undefined as { document: TextDocument; selection: Selection } | undefined,
  onDidChangeVisibleTextEditors: events.visibleEditors.event,
  onDidChangeVisibleNotebookEditors: events.visibleNotebookEditors.event,
  onDidChangeTextEditorSelection: events.selection.event,
  onDidChangeActiveTextEditor: events.activeEditor.event,
  showTextDocument: async (document: TextDocument) => ({ document, selection: undefined as unknown, revealRange() {} }),
  /** One group; a test puts tabs in it and fires `events.changeTabs`. */
  tabGroups: {
    all: [{ tabs: [] as { input: unknown }[] }],
    onDidChangeTabs: events.changeTabs.event,
  },
  setStatusBarMessage: (text: string) => {
    messages.push(text);
    return { dispose: () => undefined };
  },
  showInformationMessage: notify('information'),
  showWarningMessage: notify('warning'),
  withProgress: async <R>(
    options: { title?: string; cancellable?: boolean },
    task: (
      progress: { report(value: { message?: string }): void },
      token: { readonly isCancellationRequested: boolean; onCancellationRequested: typeof cancelProgressEvent.event },
    ) => Promise<R>,
  ): Promise<R> => {
    const record = { options, reports: [] as { message?: string }[] };
    shown.progress.push(record);
    return task(
      { report: (value) => void record.reports.push(value) },
      {
        get isCancellationRequested() {
          return progressCancelled;
        },
        onCancellationRequested: cancelProgressEvent.event,
      },
    );
  },
};

export const clipboardText: string[] = [];

export const env = {
  language: 'en',
  clipboard: {
    writeText: async (text: string) => {
      clipboardText.push(text);
    },
  },
};

/** Forgets the documents and editors of the previous test. */
export function reset(): void {
  workspace.textDocuments.length = 0;
  workspace.notebookDocuments.length = 0;
  window.visibleTextEditors.length = 0;
  window.activeTextEditor = undefined;
  clipboardText.length = 0;
  messages.length = 0;
  window.tabGroups.all[0]!.tabs.length = 0;
  statusBarItems.length = 0;
  env.language = 'en';
  workspace.workspaceFolders.length = 0;
  workspace.found.length = 0;
  shown.messages.length = 0;
  shown.answer = undefined;
  shown.progress.length = 0;
  shown.commands.length = 0;
  progressCancelled = false;
  cancelProgressEvent.dispose();
}
