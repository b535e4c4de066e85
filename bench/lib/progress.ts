/**
 * A progress bar on stderr in plain ANSI (no dependency): done/total, rate and ETA, redrawn in place
 * on a terminal at most four times a second; elsewhere (a log file, CI) one line every 5% or 30 s.
 *
 * @example
 * const bar = progressBar({ label: 'pglite load', total: 1_000_000, unit: 'events' });
 * bar.update(250_000); // ▕██████░░░░░░░░░░░░░░░░░░▏ 25.0%  250,000/1,000,000 events  8,512 events/s  ETA 1m28s
 * bar.done();
 */

export interface ProgressBar {
  /** Report `done` units finished so far. */
  update(done: number): void;
  /** Draw the final state and end the line. */
  done(): void;
}

export interface ProgressOptions {
  readonly label: string;
  readonly total: number;
  readonly unit: string;
  readonly stream?: NodeJS.WriteStream;
}

const WIDTH = 24;

/** `1h02m`, `3m05s`, `42s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** A progress bar; see the module comment. */
export function progressBar(options: ProgressOptions): ProgressBar {
  const stream = options.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  const started = performance.now();
  let lastDraw = 0;
  let lastLoggedShare = -1;
  let lastLoggedAt = started;
  let current = 0;

  const line = (done: number): string => {
    const share = options.total > 0 ? Math.min(1, done / options.total) : 1;
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 ? (options.total - done) / rate : Number.NaN;
    const filled = Math.round(share * WIDTH);
    const bar = `▕${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}▏`;
    return `${options.label} ${bar} ${(share * 100).toFixed(1).padStart(5)}%  ${fmt(done)}/${fmt(options.total)} ${options.unit}  ${fmt(rate)} ${options.unit}/s  ${done >= options.total ? `took ${formatDuration(seconds)}` : `ETA ${formatDuration(eta)}`}`;
  };

  return {
    update(done) {
      current = done;
      const now = performance.now();
      if (tty) {
        if (now - lastDraw < 250) return;
        lastDraw = now;
        stream.write(`\r\x1b[2K${line(done)}`);
        return;
      }
      const share = options.total > 0 ? done / options.total : 1;
      if (Math.floor(share * 20) > lastLoggedShare || now - lastLoggedAt > 30_000) {
        lastLoggedShare = Math.floor(share * 20);
        lastLoggedAt = now;
        stream.write(`${line(done)}\n`);
      }
    },
    done() {
      if (tty) stream.write(`\r\x1b[2K${line(current)}\n`);
      else if (lastLoggedShare < 20 || current < options.total) stream.write(`${line(current)}\n`);
    },
  };
}
