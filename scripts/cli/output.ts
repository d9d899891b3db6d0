import { lazy } from './lazy';

// only a terminal ever shows a progress bar
const cliProgress = lazy(() => require('cli-progress') as typeof import('cli-progress'));

/**
 * The `--json` envelope, the sf CLI's own: `{"status":0,"result":…,"warnings":[]}` on success and
 * `{"status":N,"name","message","exitCode":N,"warnings":[]}` (plus `result` when the failure carries
 * data) on failure, so a script written for `sf … --json | jq .result` reads ours unchanged.
 */
export interface JsonSuccess<T> {
  status: 0;
  result: T;
  warnings: string[];
}

export interface JsonFailure {
  status: number;
  name: string;
  message: string;
  exitCode: number;
  warnings: string[];
  result?: unknown;
}

export function jsonSuccess<T>(result: T, warnings: readonly string[] = []): JsonSuccess<T> {
  return { status: 0, result, warnings: [...warnings] };
}

export function jsonFailure(name: string, message: string, exitCode: number, data?: unknown): JsonFailure {
  return { status: exitCode, name, message, exitCode, warnings: [], ...(data === undefined ? {} : { result: data }) };
}

/** What every command prints through: JSON when --json, human text otherwise. */
export interface Output {
  readonly json: boolean;
  /**
   * Print the command's result: with --json one line, `{"status":0,"result":data,"warnings":[…]}`; else
   * `human(data)`. `warnings` go into the envelope (the human text says them its own way).
   */
  result<T>(data: T, human: (d: T) => string, warnings?: readonly string[]): void;
  /** Human-only informational line on stderr (suppressed with --json). */
  info(line: string): void;
  /** A progress bar on stderr when it is a terminal and not --json; a no-op otherwise. */
  progress(total: number, label: string): Progress;
}

export interface Progress {
  increment(by?: number): void;
  setTotal(total: number): void;
  /** Ends the bar: its line is replaced by one clean line (`✓ label  done/total`), or by nothing when nothing was counted. */
  stop(): void;
}

const silentProgress: Progress = { increment() {}, setTotal() {}, stop() {} };

export interface OutputStreams {
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream & { isTTY?: boolean };
}

export function createOutput(json: boolean, streams: OutputStreams = { out: process.stdout, err: process.stderr }): Output {
  return {
    json,
    result(data, human, warnings = []) {
      streams.out.write(json ? `${JSON.stringify(jsonSuccess(data, warnings))}\n` : ensureNewline(human(data)));
    },
    info(line) {
      if (!json) streams.err.write(ensureNewline(line));
    },
    progress(total, label) {
      if (json || !streams.err.isTTY) return silentProgress;
      return terminalBar(streams.err, total, label);
    }
  };
}

/**
 * A cli-progress bar whose value never goes back and whose last line is clean. cli-progress ends a bar
 * by restoring the cursor it saved at the start and leaving the last frame (with its ETA) on screen;
 * here the bar's line is cleared instead (clearOnComplete) and replaced by one final line, and a total
 * that shrinks below what was already counted is raised to it, so the percentage shown never drops.
 */
function terminalBar(stream: NodeJS.WritableStream, initialTotal: number, label: string): Progress {
  const { SingleBar, Presets } = cliProgress();
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
      stream: stream as NodeJS.WriteStream,
      hideCursor: true,
      clearOnComplete: true
    },
    Presets.shades_classic
  );
  let value = 0;
  let total = Math.max(initialTotal, 0);
  bar.start(Math.max(total, 1), 0);
  return {
    increment(by = 1) {
      if (!(by > 0)) return;
      value += by;
      if (value > total) {
        total = value;
        bar.setTotal(total);
      }
      bar.update(value);
    },
    setTotal(t) {
      total = Math.max(t, value);
      bar.setTotal(Math.max(total, 1));
    },
    stop() {
      bar.update(value);
      bar.stop();
      if (value > 0) stream.write(`✓ ${label}  ${value.toLocaleString('en-US')}/${total.toLocaleString('en-US')}\n`);
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
