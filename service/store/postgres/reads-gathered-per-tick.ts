/**
 * Point reads asked in one turn of the event loop, answered by one statement: the requests a busy replica parses
 * in one poll phase each want one row by key (a receipt lookup: a credential's placement), and one round trip
 * with an array of keys costs both sides far less than one round trip each. A read asked alone waits for no one:
 * it goes out at the end of the same turn (setImmediate), as one statement of one key.
 */
export class ReadsGatheredPerTick<K, V> {
  private pending: Map<K, { resolve(value: V | undefined): void; reject(error: unknown): void }[]> | undefined;

  /** @param readMany the rows of the keys asked, each with its key (keys without a row are left out) */
  constructor(private readonly readMany: (keys: K[]) => Promise<Map<K, V>>) {}

  read(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      if (!this.pending) {
        this.pending = new Map();
        setImmediate(() => this.flush());
      }
      const waiting = this.pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
    });
  }

  private flush(): void {
    const asked = this.pending!;
    this.pending = undefined;
    this.readMany([...asked.keys()]).then(
      (found) => {
        for (const [key, waiting] of asked) for (const { resolve } of waiting) resolve(found.get(key));
      },
      (error: unknown) => {
        for (const waiting of asked.values()) for (const { reject } of waiting) reject(error);
      },
    );
  }
}
