/** A thing to clean up: VS Code's `Disposable` shape without importing `vscode`. */
export interface IDisposable {
  dispose(): void;
}

/** A bag of disposables with one lifetime (VS Code's `DisposableStore` shape). */
export class DisposableStore implements IDisposable {
  private readonly items = new Set<IDisposable>();
  private disposed = false;

  add<T extends IDisposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.add(item);
    return item;
  }

  /** Disposes everything added so far and keeps the store usable (for a lifetime that restarts). */
  clear(): void {
    const items = [...this.items];
    this.items.clear();
    for (const item of items) {
      try {
        item.dispose();
      } catch (err) {
        console.error('[loss-inspector] dispose failed', err);
      }
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clear();
  }
}

/** Base class for objects that own disposables (VS Code's `Disposable` with `_register`). */
export abstract class Disposable implements IDisposable {
  protected readonly store = new DisposableStore();

  protected register<T extends IDisposable>(item: T): T {
    return this.store.add(item);
  }

  dispose(): void {
    this.store.dispose();
  }
}
