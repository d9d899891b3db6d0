/**
 * The sync's progress reports: `onProgress(done, total)` with `done` never decreasing, `done / total`
 * never decreasing, and a last report of `(total, total)`. So the total is known before the first
 * report — the first page of every object's query is read before any record is evaluated (its
 * totalSize is the object's count, which a full sync cannot know otherwise without an extra
 * COUNT() request) — and a read that ends short of it (records deleted for good since the count)
 * ends at what was read.
 */

/** A page of records and the size of the query it came from. */
export interface CountedPage {
  records: readonly unknown[];
  totalSize: number;
}

export interface ProgressSource<K, P extends CountedPage> {
  key: K;
  pages: AsyncIterable<P>;
}

export class SyncProgress {
  private done = 0;
  private total = 0;
  private last: [number, number] | undefined;

  constructor(private readonly onProgress?: (done: number, total: number) => void) {}

  /**
   * Reads the first page of every source, adds their sizes to the total and returns the sources with
   * that page put back in front: iterate them in order as before.
   */
  async open<K, P extends CountedPage>(sources: Array<ProgressSource<K, P>>): Promise<Array<ProgressSource<K, P>>> {
    const opened: Array<ProgressSource<K, P>> = [];
    for (const source of sources) {
      const it = source.pages[Symbol.asyncIterator]();
      const first = await it.next();
      if (!first.done) this.total += first.value.totalSize;
      opened.push({ key: source.key, pages: replay(first, it) });
    }
    return opened;
  }

  /** `n` more records read. */
  advance(n: number): void {
    if (n <= 0) return;
    this.done += n;
    // more than the count said (records created since it was taken): the total follows, so the share still rises
    if (this.done > this.total) this.total = this.done;
    this.report();
  }

  /** Every record read: the last report is (done, done). */
  finish(): void {
    if (this.last === undefined && this.done === 0) return;
    this.total = this.done;
    if (this.last?.[0] !== this.done || this.last[1] !== this.total) this.report();
  }

  private report(): void {
    this.last = [this.done, this.total];
    this.onProgress?.(this.done, this.total);
  }
}

async function* replay<P>(first: IteratorResult<P>, rest: AsyncIterator<P>): AsyncGenerator<P> {
  if (first.done) return;
  yield first.value;
  for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
}
