/**
 * Runs chunks through read, compute and write with the next chunk's read and the previous chunk's
 * write in flight while this one is computed: the database reads, this thread computes and the
 * database writes at the same time. Chunks are written in order, one at a time.
 *
 * A read or write in flight advances only when this thread's event loop turns (each COPY and
 * statement is several round trips), so a long compute should yield now and then (return a promise):
 * one that does not holds the write back until it is done, and the two no longer overlap.
 */
export async function inPipeline<C, R, W>(
  chunks: readonly C[],
  read: (chunk: C) => Promise<R>,
  compute: (rows: R) => W | Promise<W>,
  write: (chunk: C, computed: W) => Promise<void>,
): Promise<void> {
  let next = chunks.length > 0 ? read(chunks[0]!) : null;
  let writing: Promise<void> = Promise.resolve();
  try {
    for (let i = 0; i < chunks.length; i++) {
      const rows = await next!;
      next = i + 1 < chunks.length ? read(chunks[i + 1]!) : null;
      next?.catch(() => undefined); // awaited on the next turn
      const computed = await compute(rows);
      await writing;
      writing = write(chunks[i]!, computed);
      writing.catch(() => undefined); // awaited on the next turn or below
    }
    await writing;
  } finally {
    // A failure leaves nothing running behind the caller's back.
    await Promise.allSettled([next, writing]);
  }
}
