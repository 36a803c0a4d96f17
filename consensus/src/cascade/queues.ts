/**
 * The cascade rule over abstract items (docs/cascade.md §4; Minima's cascading chain): one FIFO
 * queue per level, each holding at most K items, oldest first. A new item enters level 0; when a
 * level holds K + 1 items its oldest leaves it: it moves up to level i + 1 when its own superblock
 * level is ≥ i + 1 (and i + 1 < levels), else it is dropped. The same code runs the real
 * {@link Cascade} (items are headers) and the size simulation (items are bare levels).
 * Each level is a ring buffer of K + 1 slots: one `push` costs O(levels) at worst, O(1) amortized.
 * @module
 */

/** Callbacks of {@link LevelQueues.push}. */
export interface PushHooks<T> {
  /** The item moved up from level `from` to `from + 1`. */
  onMove?(item: T, from: number): void;
  /** The item left the cascade from level `from`. */
  onDrop?(item: T, from: number): void;
}

/** Per-level FIFO queues with the cascade's move-up-or-drop rule. */
export class LevelQueues<T> {
  /** Levels (≥ 1). */
  readonly levels: number;
  /** K, items per level (≥ 1). */
  readonly perLevel: number;
  private readonly slots: (T | undefined)[][];
  private readonly heads: number[];
  private readonly sizes: number[];
  private total = 0;
  private readonly superLevelOf: (item: T) => number;

  /**
   * @param levels ≥ 1
   * @param perLevel K ≥ 1
   * @param superLevelOf an item's superblock level (an item may sit at level i only if this is ≥ i)
   */
  constructor(levels: number, perLevel: number, superLevelOf: (item: T) => number) {
    this.superLevelOf = superLevelOf;
    this.levels = levels;
    this.perLevel = perLevel;
    this.slots = Array.from({ length: levels }, () => new Array<T | undefined>(perLevel + 1));
    this.heads = new Array<number>(levels).fill(0);
    this.sizes = new Array<number>(levels).fill(0);
  }

  /** Items kept over all levels. */
  get count(): number {
    return this.total;
  }

  /** Items kept at `level`. */
  sizeOf(level: number): number {
    return this.sizes[level] ?? 0;
  }

  private append(level: number, item: T): void {
    const cap = this.perLevel + 1;
    const size = this.sizes[level] as number;
    (this.slots[level] as (T | undefined)[])[((this.heads[level] as number) + size) % cap] = item;
    this.sizes[level] = size + 1;
    this.total++;
  }

  private shift(level: number): T {
    const cap = this.perLevel + 1;
    const head = this.heads[level] as number;
    const row = this.slots[level] as (T | undefined)[];
    const item = row[head] as T;
    row[head] = undefined;
    this.heads[level] = (head + 1) % cap;
    this.sizes[level] = (this.sizes[level] as number) - 1;
    this.total--;
    return item;
  }

  /**
   * Adds the newest item at level `level` (0 for a new block; a decoder rebuilding a cascade adds
   * items oldest first at their kept level) and applies the rule upward from there.
   * @param hooks `onMove(item, from)`: the item moved from level `from` to `from + 1`;
   *   `onDrop(item, from)`: the item left the cascade from level `from`
   */
  push(item: T, level = 0, hooks?: PushHooks<T>): void {
    this.append(level, item);
    for (let i = level; i < this.levels; i++) {
      if ((this.sizes[i] as number) <= this.perLevel) return;
      const oldest = this.shift(i);
      if (i + 1 < this.levels && this.superLevelOf(oldest) >= i + 1) {
        this.append(i + 1, oldest);
        hooks?.onMove?.(oldest, i);
      } else {
        hooks?.onDrop?.(oldest, i);
        return;
      }
    }
  }

  /** The items of `level`, newest first. */
  itemsOf(level: number): T[] {
    const cap = this.perLevel + 1;
    const size = this.sizes[level] ?? 0;
    const head = this.heads[level] ?? 0;
    const row = this.slots[level] ?? [];
    const out: T[] = [];
    for (let k = size - 1; k >= 0; k--) out.push(row[(head + k) % cap] as T);
    return out;
  }

  /** Calls `f(item, level)` for every item, newest first (level 0 newest → oldest, then level 1, …). */
  forEach(f: (item: T, level: number) => void): void {
    for (let l = 0; l < this.levels; l++) for (const it of this.itemsOf(l)) f(it, l);
  }
}
