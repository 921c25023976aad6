import { UnknownKindError } from './errors';

/**
 * Registry holds the pluggable parts of one family (check kinds, detectors, notifiers, model
 * adapters, sources) by a stable kind string. Built-ins are listed explicitly in each folder's
 * index.ts, never registered by import side effects.
 */
export class Registry<T extends { kind: string }> {
  private readonly items = new Map<string, T>();
  constructor(private readonly what: string, items: readonly T[] = []) {
    for (const item of items) this.register(item);
  }
  register(item: T): void {
    if (this.items.has(item.kind)) throw new Error(`${this.what} "${item.kind}" registered twice`);
    this.items.set(item.kind, item);
  }
  get(kind: string): T {
    const item = this.items.get(kind);
    if (!item) throw new UnknownKindError(this.what, kind, this.kinds());
    return item;
  }
  has(kind: string): boolean {
    return this.items.has(kind);
  }
  kinds(): string[] {
    return [...this.items.keys()].sort();
  }
  all(): T[] {
    return [...this.items.values()];
  }
}
