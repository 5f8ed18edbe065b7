/**
 * The demo loader's progress: a bar on a terminal (cli-progress), and on
 * anything else (a pipe to `npm start`'s log, a CI log) one line per tenth of
 * the way, since a bar redrawn in place is unreadable there and cli-progress
 * writes nothing at all without a terminal.
 */
import cliProgress from 'cli-progress';

/** What the loader calls; the part of cli-progress's SingleBar it uses. */
export interface Progress {
  start(total: number, value: number, payload?: Record<string, unknown>): void;
  setTotal(total: number): void;
  update(value: number, payload?: Record<string, unknown>): void;
  stop(): void;
}

export interface ProgressOptions {
  /** The bar's cli-progress format, e.g. `|{bar}| {value}/{total} customers`. */
  barFormat: string;
  /** What is counted, in the lines: `customers sent` gives "demo: 3,000 / 10,000 customers sent (30 %)". */
  counted: string;
  stream?: NodeJS.WritableStream;
}

/** A bar when `stream` (default stderr) is a terminal, lines otherwise. */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  if ((stream as { isTTY?: boolean }).isTTY === true)
    return new cliProgress.SingleBar(
      { format: options.barFormat, hideCursor: true, etaBuffer: 30, fps: 5, stream },
      cliProgress.Presets.shades_classic,
    );
  return lineProgress(options.counted, stream);
}

/** One line each time another 10 % is reached (only the last when several are passed at once). */
export function lineProgress(counted: string, stream: NodeJS.WritableStream): Progress {
  let total = 0;
  let shownTenths = 0;
  const number = (n: number): string => n.toLocaleString('en');
  return {
    start(newTotal, value) {
      total = newTotal;
      shownTenths = Math.floor((10 * value) / Math.max(1, total));
    },
    setTotal(newTotal) {
      total = newTotal;
    },
    update(value) {
      const tenths = Math.min(10, Math.floor((10 * value) / Math.max(1, total)));
      if (tenths <= shownTenths) return;
      shownTenths = tenths;
      const percent = Math.floor((100 * value) / Math.max(1, total));
      stream.write(`demo: ${number(value)} / ${number(total)} ${counted} (${percent} %)\n`);
    },
    stop() {},
  };
}
