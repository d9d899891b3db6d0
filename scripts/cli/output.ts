import { lazy } from './lazy';

// only a terminal ever shows a progress bar
const cliProgress = lazy(() => require('cli-progress') as typeof import('cli-progress'));

/** What every command prints through: JSON when --json, human text otherwise. */
export interface Output {
  readonly json: boolean;
  /** Print the command's result: `data` as one JSON line with --json, else `human(data)`. */
  result<T>(data: T, human: (d: T) => string): void;
  /** Human-only informational line on stderr (suppressed with --json). */
  info(line: string): void;
  /** A progress bar on stderr when it is a terminal and not --json; a no-op otherwise. */
  progress(total: number, label: string): Progress;
}

export interface Progress {
  increment(by?: number): void;
  setTotal(total: number): void;
  stop(): void;
}

const silentProgress: Progress = { increment() {}, setTotal() {}, stop() {} };

export function createOutput(json: boolean, streams = { out: process.stdout, err: process.stderr }): Output {
  return {
    json,
    result(data, human) {
      streams.out.write(json ? `${JSON.stringify(data)}\n` : ensureNewline(human(data)));
    },
    info(line) {
      if (!json) streams.err.write(ensureNewline(line));
    },
    progress(total, label) {
      if (json || !streams.err.isTTY) return silentProgress;
      const { SingleBar, Presets } = cliProgress();
      const bar = new SingleBar(
        { format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`, stream: streams.err, hideCursor: true },
        Presets.shades_classic
      );
      bar.start(total, 0);
      return {
        increment: (by = 1) => bar.increment(by),
        setTotal: (t) => bar.setTotal(t),
        stop: () => bar.stop()
      };
    }
  };
}

function ensureNewline(s: string): string {
  return s === '' || s.endsWith('\n') ? s : `${s}\n`;
}

/** The width a table should fit: the terminal's, or 120 characters when the output is not a terminal. */
export function terminalColumns(): number {
  return process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 120;
}
