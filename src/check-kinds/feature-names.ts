/** Where a feature sits in a serving event: its context, or a candidate's features. */
export const CONTEXT = 0;
export const CANDIDATE = 1;
export type Place = typeof CONTEXT | typeof CANDIDATE;

/** at most this many refused keys are remembered as refused (ids used as keys must not grow a map) */
const MAX_REFUSED = 10_000;

/**
 * FeatureNames gives each watched feature a small index on its first sight, so the feature checks
 * keep their per-feature state in arrays: a serving event carries tens of candidates with a few
 * features each, and they built a string key (`context.` + key) and looked it up in several maps
 * per value. Context features are named `context.<key>`, candidate features by their key.
 * `admit(name, watched)` decides on a new name (a list of features, a cap).
 */
export class FeatureNames {
  /** index → name, in order of first sight */
  readonly names: string[] = [];
  /** per place, the indices of its features */
  readonly ofPlace: [number[], number[]] = [[], []];
  private readonly byKey: [Map<string, number>, Map<string, number>] = [new Map(), new Map()];
  // per place, the key last seen at each position of a features object and its index: the objects
  // of one stream mostly have the same keys in the same order, so the map is seldom asked
  private readonly atKey: [string[], string[]] = [[], []];
  private readonly atIndex: [number[], number[]] = [[], []];
  private refused = 0;

  constructor(private readonly admit: (name: string, watched: number) => boolean) {}

  /**
   * indexAt: indexOf for the key at position `j` of the features object being walked (for-in order):
   * the same answer, from the last object's key at that position when it is the same key.
   */
  indexAt(j: number, key: string, place: Place): number {
    if (this.atKey[place][j] === key) return this.atIndex[place][j];
    const i = this.indexOf(key, place);
    this.atKey[place][j] = key;
    this.atIndex[place][j] = i;
    return i;
  }

  /** indexOf: the index of `key` in `place`, registering it if admitted; -1 when it is not watched */
  indexOf(key: string, place: Place): number {
    const known = this.byKey[place];
    const i = known.get(key);
    if (i !== undefined) return i;
    const name = place === CONTEXT ? `context.${key}` : key;
    if (!this.admit(name, this.names.length)) {
      // refused for good (a cap reached, not in the list): remembered, up to a bound
      if (this.refused < MAX_REFUSED) {
        known.set(key, -1);
        this.refused++;
      }
      return -1;
    }
    known.set(key, this.names.length);
    this.names.push(name);
    this.ofPlace[place].push(this.names.length - 1);
    return this.names.length - 1;
  }
}
