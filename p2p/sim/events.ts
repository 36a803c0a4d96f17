/**
 * Discrete-event queue for the network simulator: a binary min-heap on (time, insertion order),
 * so events at equal times run in the order they were scheduled.
 * @module
 */

interface Item {
  at: number;
  seq: number;
  run: () => void;
}

/** Min-heap of timed callbacks. */
export class EventQueue {
  private heap: Item[] = [];
  private seq = 0;
  /** Current simulated time (ms). */
  now = 0;

  /** Number of pending events. */
  get size(): number {
    return this.heap.length;
  }

  /** Schedules `run` at time `at` (ms, clamped to now). */
  at(at: number, run: () => void): void {
    const item = { at: Math.max(at, this.now), seq: this.seq++, run };
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(item, h[p] as Item)) break;
      h[i] = h[p] as Item;
      i = p;
    }
    h[i] = item;
  }

  /** Runs events in time order until none is left before `until` (ms). Returns events run. */
  runUntil(until: number): number {
    let n = 0;
    while (this.heap.length > 0 && (this.heap[0] as Item).at <= until) {
      const item = this.pop();
      this.now = item.at;
      item.run();
      n++;
    }
    if (this.now < until) this.now = until;
    return n;
  }

  private pop(): Item {
    const h = this.heap;
    const top = h[0] as Item;
    const last = h.pop() as Item;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && less(h[r] as Item, h[l] as Item) ? r : l;
        if (!less(h[c] as Item, last)) break;
        h[i] = h[c] as Item;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

function less(a: Item, b: Item): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
