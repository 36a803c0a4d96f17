/** A tiny typed event emitter (listeners' exceptions are swallowed so one bad listener cannot break the transport). */
export class Emitter<E extends object> {
  readonly #fns = new Map<keyof E, Set<(e: never) => void>>();
  on<K extends keyof E>(event: K, fn: (e: E[K]) => void): () => void {
    let set = this.#fns.get(event);
    if (set === undefined) this.#fns.set(event, (set = new Set()));
    set.add(fn as (e: never) => void);
    return () => void set.delete(fn as (e: never) => void);
  }
  emit<K extends keyof E>(event: K, e: E[K]): void {
    for (const fn of this.#fns.get(event) ?? []) {
      try {
        (fn as (e: E[K]) => void)(e);
      } catch {
        /* a listener's error is its own */
      }
    }
  }
}
