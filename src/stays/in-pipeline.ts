/**
 * Runs chunks through read, compute and write with the next chunk's read and the previous chunk's
 * write in flight while this one is computed: the database reads, this thread computes and the
 * database writes at the same time. Chunks are written in order, one at a time.
 */
export async function inPipeline<C, R, W>(
  chunks: readonly C[],
  read: (chunk: C) => Promise<R>,
  compute: (rows: R) => W,
  write: (chunk: C, computed: W) => Promise<void>,
): Promise<void> {
  let next = chunks.length > 0 ? read(chunks[0]!) : null;
  let writing: Promise<void> = Promise.resolve();
  try {
    for (let i = 0; i < chunks.length; i++) {
      const rows = await next!;
      next = i + 1 < chunks.length ? read(chunks[i + 1]!) : null;
      next?.catch(() => undefined); // awaited on the next turn
      const computed = compute(rows);
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
