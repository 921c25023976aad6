import { labelsKey } from '../check-kinds/kind';
import type { RecEvent } from '../events/contract';
import { RecentCache } from './recent-cache';

type Node = Map<string, Node | number>;

/** label sets remembered by the cache in front of the maps (events interleave a few sets) */
const RECENT_SETS = 4;

/**
 * LabelSets gives each distinct combination of an event's label values (its `by` fields) a small
 * id, found through one Map per field without building a string or an object per event: the hot
 * path of the checks that split by labels. At most `max` sets are known: a new set past that takes
 * the id of the set seen least recently (model versions come and go on a long-running daemon), so
 * a number kept with an id (a join table's tag) may, for a while, name the set that replaced it.
 */
export class LabelSets<S> {
  private readonly root: Node = new Map();
  private readonly sets: Array<{ labels: Record<string, string>; key: string; values: string[] }> = [];
  /** per id: when it was last asked for (a counter of idOf calls) */
  private readonly lastUsed: number[] = [];
  private tick = 0;
  /** the ids of the last few sets asked for, by their values, looked at before the maps */
  private readonly recent = new RecentCache<number>(RECENT_SETS);
  /** the subject's values, read once per idOf */
  private readonly current: string[] = [];

  /**
   * @param names the label names, in order
   * @param max at most this many sets get an id
   * @param valueOf the value of the i-th name for a subject (an event); undefined reads as "none"
   */
  constructor(
    readonly names: readonly string[],
    private readonly max: number,
    private readonly valueOf: (subject: S, i: number) => string | undefined,
  ) {}

  get size(): number {
    return this.sets.length;
  }

  /** idOf: the id of the subject's label set */
  idOf(subject: S): number {
    const n = this.names.length;
    if (n === 0) return this.sets.length ? 0 : this.create([]);
    this.tick++;
    const cur = this.current;
    for (let i = 0; i < n; i++) cur[i] = this.valueOf(subject, i) ?? 'none';
    const hit = this.recent.get(cur);
    if (hit !== undefined) {
      this.lastUsed[hit] = this.tick;
      return hit;
    }
    let node = this.root;
    for (let i = 0; i < n; i++) {
      const next = node.get(cur[i]);
      if (next === undefined) {
        this.recent.clear(); // extend may give a known set's id to another: no shortcut may lead to it
        return this.extend(node, i, subject);
      }
      if (i === n - 1) {
        this.lastUsed[next as number] = this.tick;
        this.recent.set(cur, next as number);
        return next as number;
      }
      node = next as Node;
    }
    throw new Error('unreachable: the loop returns at the last name');
  }

  labels(id: number): Record<string, string> {
    return this.sets[id].labels;
  }

  /** key: labelsKey of the set, to key series and alerts */
  key(id: number): string {
    return this.sets[id].key;
  }

  /** entries: every known set, in order of first sight */
  *entries(): IterableIterator<[id: number, labels: Record<string, string>]> {
    for (let id = 0; id < this.sets.length; id++) yield [id, this.sets[id].labels];
  }

  /** extend adds a new set whose values first differ from every known set at name i (node: its parent map) */
  private extend(node: Node, i: number, subject: S): number {
    const values = this.names.map((_, j) => this.valueOf(subject, j) ?? 'none');
    if (this.sets.length >= this.max) {
      const id = this.leastRecent();
      // forget the old set's path (which may share `node` with the new one) before adding the new
      this.unlink(this.sets[id].values);
      this.sets[id] = this.describe(values);
      this.link(values, id);
      this.lastUsed[id] = this.tick;
      return id;
    }
    let at = node;
    for (let j = i; j < values.length - 1; j++) {
      const child: Node = new Map();
      at.set(values[j], child);
      at = child;
    }
    const id = this.create(values);
    at.set(values[values.length - 1], id);
    return id;
  }

  private leastRecent(): number {
    let id = 0;
    for (let j = 1; j < this.lastUsed.length; j++) if (this.lastUsed[j] < this.lastUsed[id]) id = j;
    return id;
  }

  private link(values: string[], id: number): void {
    let at = this.root;
    for (let j = 0; j < values.length - 1; j++) {
      let child = at.get(values[j]) as Node | undefined;
      if (!child) at.set(values[j], (child = new Map()));
      at = child;
    }
    at.set(values[values.length - 1], id);
  }

  /** unlink removes a set's path, and the maps it leaves empty */
  private unlink(values: string[]): void {
    const path: Node[] = [this.root];
    for (let j = 0; j < values.length - 1; j++) path.push(path[j].get(values[j]) as Node);
    for (let j = values.length - 1; j >= 0; j--) {
      path[j].delete(values[j]);
      if (path[j].size > 0) break;
    }
  }

  private create(values: string[]): number {
    this.sets.push(this.describe(values));
    this.lastUsed.push(this.tick);
    return this.sets.length - 1;
  }

  private describe(values: string[]): { labels: Record<string, string>; key: string; values: string[] } {
    const labels: Record<string, string> = {};
    this.names.forEach((name, j) => (labels[name] = values[j]));
    return { labels, key: labelsKey(labels), values };
  }
}

/** the labels impression and serving events carry themselves */
export type EventLabel = 'surface' | 'model_version';

/**
 * eventLabelSets: LabelSets over an event's own labels (surface, model_version), the split the
 * output checks offer with `by`; an event without the label (an engagement) reads as "none".
 */
export function eventLabelSets(names: readonly EventLabel[], max: number): LabelSets<RecEvent> {
  return new LabelSets<RecEvent>(names, max, (e, i) => (e as { surface?: string; model_version?: string })[names[i]]);
}
