import type { Features, ServingEvent } from '../events/contract';
import type { FeatureWalker } from '../events/decode';
import { CANDIDATE, CONTEXT, type Place } from './feature-names';

/** what a walked value is: `kinds[v]` */
export const MISSING = 0; // null
export const NUMBER = 1; // in `nums`
export const OTHER = 2; // a string or a boolean, in `raws`

/** at most this many events' walks are kept before they are dropped (a chunk has at most 64) */
const MAX_EVENTS = 256;
/** nor more values than this (the arrays' size stays within it, or one event's values past it) */
const MAX_VALUES = 1 << 20;

/**
 * ServingFeatures walks each serving event's feature values once for all the feature checks
 * (feature-quality, feature-drift), into typed arrays they read instead of each walking every
 * features object of the event themselves. Reading a fractional number out of a parsed object in a
 * `for…in` walk allocates it afresh (V8 keeps such a property in a box of its own): three checks
 * walking ten candidates' features left 80 MB of garbage per 300 000 events of the bench, a quarter of
 * the path's; here each value is read once and kept as a double.
 *
 * Each check walks through a `reader()`, in the order the engine hands it its events: the first
 * reader to ask for an event walks it, the others find it where their last one was. The walks are
 * dropped when every reader has read them all (so the events are let go after the engine's chunk, as
 * the engine lets them go), or past MAX_EVENTS events or MAX_VALUES values (a reader that fell
 * behind then walks again what it reads; memory stays bounded whatever the events' size).
 *
 *   const r = shared.reader();
 *   const k = r.walk(e);
 *   for (let o = shared.firstObject(k); o < shared.endObject(k); o++)
 *     for (let v = shared.objFrom[o]; v < shared.objTo[o]; v++) … shared.keys[v], shared.kinds[v], shared.nums[v]
 */
export class ServingFeatures implements FeatureWalker {
  // per walked object (an event's context, then each candidate's features): its values [from, to) and place
  objFrom = new Int32Array(256);
  objTo = new Int32Array(256);
  objPlace = new Uint8Array(256);
  // per value: its key, its kind, and the value (a number in nums, anything else in raws)
  keys: string[] = [];
  kinds = new Uint8Array(4096);
  nums = new Float64Array(4096);
  raws: Array<string | boolean | undefined> = [];
  /** the walked events, and each one's first object (the next one's first is its end) */
  private readonly events: Array<ServingEvent | undefined> = [];
  private readonly eventObject = new Int32Array(MAX_EVENTS + 1);
  private count = 0;
  private objects = 0;
  private values = 0;
  private readonly readers: FeatureWalkReader[] = [];
  /** after a walk that met a value that is no feature value: its object and key */
  private badObject = 0;
  private badKey: string | undefined;

  /** reader: a check's own cursor over the walks (one per check, made when the check is created) */
  reader(): FeatureWalkReader {
    const r = new FeatureWalkReader(this);
    this.readers.push(r);
    return r;
  }

  firstObject(k: number): number {
    return this.eventObject[k];
  }

  endObject(k: number): number {
    return this.eventObject[k + 1];
  }

  /** hasReaders: some check reads the walks (else walking is wasted) */
  get hasReaders(): boolean {
    return this.readers.length > 0;
  }

  /**
   * find: the index of e's walk, looked for first at `hint` (where the reader expects it), then after
   * it (past walks no check reads: events decoding walked and the engine did not admit), then
   * before; -1 when e is not walked
   */
  find(e: ServingEvent, hint: number): number {
    for (let k = hint; k < this.count; k++) if (this.events[k] === e) return k;
    for (let k = 0; k < Math.min(hint, this.count); k++) if (this.events[k] === e) return k;
    return -1;
  }

  /**
   * walk (FeatureWalker, for decoding): append e's walk, for the checks to read, unless a value in it
   * is no feature value (an object or an array): then where it is, and nothing of e is kept
   */
  walk(e: ServingEvent): { object: number; key: string } | undefined {
    const k = this.append(e);
    if (this.badKey === undefined) return undefined;
    const bad = { object: this.badObject - this.eventObject[k] - 1, key: this.badKey };
    this.badKey = undefined;
    this.values = this.objFrom[this.eventObject[k]];
    this.objects = this.eventObject[k];
    this.events[k] = undefined;
    this.count = k;
    return bad;
  }

  /** append walks e's features (context, then each candidate's) and returns the index of its walk */
  append(e: ServingEvent): number {
    if (this.count === MAX_EVENTS || this.values > MAX_VALUES || this.allRead()) this.reset();
    this.badKey = undefined;
    const k = this.count++;
    this.events[k] = e;
    this.eventObject[k] = this.objects;
    if (this.walkObject(e.context, CONTEXT)) for (const c of e.candidates) if (!this.walkObject(c.features, CANDIDATE)) break;
    this.eventObject[k + 1] = this.objects;
    return k;
  }

  /** allRead: every reader has read every walk kept */
  private allRead(): boolean {
    for (const r of this.readers) if (r.next < this.count) return false;
    return true;
  }

  private reset(): void {
    this.events.fill(undefined, 0, this.count);
    this.count = 0;
    this.objects = 0;
    this.values = 0;
    for (const r of this.readers) r.next = 0;
  }

  /** walkObject: false when f holds a value that is no feature value (badObject, badKey say where) */
  private walkObject(f: Features, place: Place): boolean {
    const o = this.objects++;
    if (o === this.objFrom.length) {
      this.objFrom = grow(this.objFrom);
      this.objTo = grow(this.objTo);
      this.objPlace = grow(this.objPlace);
    }
    this.objFrom[o] = this.values;
    this.objPlace[o] = place;
    for (const key in f) {
      const at = this.values++;
      if (at === this.kinds.length) {
        this.kinds = grow(this.kinds);
        this.nums = grow(this.nums);
      }
      this.keys[at] = key;
      const v = f[key];
      if (typeof v === 'number') {
        this.kinds[at] = NUMBER;
        this.nums[at] = v;
      } else if (v === null || v === undefined) {
        this.kinds[at] = MISSING;
      } else if (typeof v === 'object') {
        this.badObject = o;
        this.badKey = key;
        this.objTo[o] = this.values;
        return false;
      } else {
        this.kinds[at] = OTHER;
        this.raws[at] = v;
      }
    }
    this.objTo[o] = this.values;
    return true;
  }
}

/** FeatureWalkReader: one check's way through the shared walks */
export class FeatureWalkReader {
  /** the walk after the last one this reader read */
  next = 0;

  constructor(private readonly shared: ServingFeatures) {}

  /** walk: the index of e's walk in the shared arrays, walking it when no reader has yet */
  walk(e: ServingEvent): number {
    let k = this.shared.find(e, this.next);
    if (k < 0) k = this.shared.append(e);
    this.next = k + 1;
    return k;
  }
}

function grow<A extends Int32Array | Uint8Array | Float64Array>(a: A): A {
  const b = new (a.constructor as new (n: number) => A)(a.length * 2);
  b.set(a);
  return b;
}
