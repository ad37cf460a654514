import { statSync } from 'node:fs';
import cliProgress from 'cli-progress';

/** A terminal progress bar over a file's bytes, showing rows and rows/s; silent when not a TTY. */
export function fileProgress(files: readonly string[]) {
  const total = files.reduce((n, f) => n + statSync(f).size, 0);
  const started = Date.now();
  const tty = process.stderr.isTTY;
  const bar = new cliProgress.SingleBar(
    {
      format: 'import |{bar}| {percentage}% | {rows} rows | {rate} rows/s | {file}',
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let doneBytes = 0;
  let doneRows = 0;
  let current = '';
  let lastLine = 0;
  if (tty) bar.start(total, 0, { rows: 0, rate: 0, file: '' });
  return {
    update(file: string | null, rows: number, bytesRead: number) {
      if (file !== current) {
        if (current) {
          doneBytes += statSync(current).size;
          doneRows = 0;
        }
        current = file ?? '';
      }
      const allRows = doneRows + rows;
      const rate = Math.round(allRows / Math.max(0.001, (Date.now() - started) / 1000));
      if (tty) bar.update(doneBytes + bytesRead, { rows: allRows, rate, file: current });
      else if (Date.now() - lastLine > 2000) {
        lastLine = Date.now();
        process.stderr.write(`import: ${allRows} rows, ${rate} rows/s (${current})\n`);
      }
    },
    stop() {
      if (tty) bar.stop();
    },
  };
}

/**
 * A terminal progress bar over a step counted in units (persons whose stays are recomputed), with the
 * time left; on a pipe, a line every two seconds instead.
 */
export function stepProgress(label: string) {
  const tty = process.stderr.isTTY;
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} |{bar}| {percentage}% | {eta_formatted} left`,
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let lastLine = 0;
  return {
    update(done: number, total: number) {
      if (tty) {
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(done);
      } else if (Date.now() - lastLine > 2000) {
        lastLine = Date.now();
        process.stderr.write(`${label}: ${Math.floor((100 * done) / Math.max(1, total))} %\n`);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
