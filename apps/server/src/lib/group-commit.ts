// Group commit: items handed in while a statement is in flight are written (or read) together by the next one. A
// lone item goes at once (no added latency); under load one statement serves many callers instead of one each.
// Every item joins a statement that starts after it was handed in, so a read never returns a state older than
// the caller's request.

/** A failure of one item of a group; the others succeed. */
export class ItemFailure {
  constructor(readonly error: unknown) {}
}

export class GroupCommit<T, R = void> {
  private waiting: Array<{ item: T; resolve(result: R): void; reject(error: unknown): void }> = [];
  private busy = false;

  constructor(
    /** Serves a group; resolves with one result (or ItemFailure) per item, in order. Rejecting fails them all. */
    private readonly serve: (items: T[]) => Promise<Array<R | ItemFailure>>,
    private readonly maxItems = 500,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      // After the current task's other calls: items handed in together (a loop, Promise.all) share a statement.
      if (this.waiting.length === 1) queueMicrotask(() => this.next());
    });
  }

  private next(): void {
    if (this.busy || this.waiting.length === 0) return;
    const group = this.waiting.splice(0, this.maxItems);
    this.busy = true;
    let served: Promise<Array<R | ItemFailure>>;
    try {
      served = this.serve(group.map((w) => w.item));
    } catch (error) {
      served = Promise.reject(error);
    }
    served
      .then(
        (results) =>
          group.forEach((w, index) => {
            const result = results[index];
            if (result instanceof ItemFailure) w.reject(result.error);
            else w.resolve(result as R);
          }),
        (error: unknown) => group.forEach((w) => w.reject(error)),
      )
      .finally(() => {
        this.busy = false;
        this.next();
      });
  }
}

/**
 * Serves a group in one statement; if that fails and the group has several items, serves each alone, so that
 * one bad item (a row that violates a constraint) fails only its own caller.
 */
export async function eachAloneOnFailure<T, R>(items: T[], all: (items: T[]) => Promise<R[]>): Promise<Array<R | ItemFailure>> {
  try {
    return await all(items);
  } catch (error) {
    if (items.length === 1) return [new ItemFailure(error)];
    return Promise.all(items.map((item) => all([item]).then((results) => results[0] as R, (failure: unknown) => new ItemFailure(failure))));
  }
}
