import { Writable } from 'node:stream';
import { createOutput } from '../output';

/**
 * What a terminal shows after the CLI's output: a small screen model of the control sequences
 * cli-progress and our own lines use (carriage return, newline, cursor column, erase line, save and
 * restore cursor; the rest — cursor and line-wrap modes — draw nothing).
 */
class Screen {
  lines: string[] = [''];
  row = 0;
  col = 0;
  private saved: [number, number] = [0, 0];

  write(data: string): void {
    for (let i = 0; i < data.length; i++) {
      const c = data[i];
      if (c === '\r') this.col = 0;
      else if (c === '\n') {
        this.row++;
        this.col = 0;
        if (this.lines.length <= this.row) this.lines.push('');
      } else if (c === '\x1b') {
        const rest = data.slice(i + 1);
        if (rest[0] === '7') [this.saved, i] = [[this.row, this.col], i + 1];
        else if (rest[0] === '8') [[this.row, this.col], i] = [this.saved, i + 1];
        else {
          const m = /^\[(\??[\d;]*)([A-Za-z])/.exec(rest);
          if (!m) throw new Error(`unknown escape ${JSON.stringify(rest.slice(0, 6))}`);
          i += m[0].length;
          const n = Number(m[1].replace('?', '') || 0);
          if (m[2] === 'G') this.col = Math.max(n - 1, 0);
          else if (m[2] === 'K') {
            const line = this.lines[this.row];
            this.lines[this.row] = n === 2 ? '' : n === 1 ? ' '.repeat(this.col) + line.slice(this.col) : line.slice(0, this.col);
          }
        }
      } else {
        const line = this.lines[this.row].padEnd(this.col);
        this.lines[this.row] = line.slice(0, this.col) + c + line.slice(this.col + 1);
        this.col++;
      }
    }
  }

  text(): string {
    return this.lines.map((l) => l.trimEnd()).join('\n');
  }
}

function terminal() {
  const screen = new Screen();
  const written: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      written.push(chunk.toString());
      screen.write(chunk.toString());
      cb();
    }
  }) as Writable & { isTTY: boolean; columns: number };
  stream.isTTY = true;
  stream.columns = 100;
  return { screen, written, stream };
}

describe('the progress bar on a terminal', () => {
  it('ends as one clean line, whatever the frames before it showed', () => {
    const t = terminal();
    const out = createOutput(false, { out: t.stream, err: t.stream });
    out.info('Syncing SLA timers…');
    const bar = out.progress(2000, 'SLA sync');
    bar.increment(2000);
    bar.setTotal(2278); // the opportunities, counted late by an older sync: the bar must not show less than it did
    bar.increment(278);
    bar.stop();
    out.info('SLA sync (full …): 2,000 leads and 278 opportunities read');
    expect(t.screen.text()).toBe(
      ['Syncing SLA timers…', '✓ SLA sync  2,278/2,278', 'SLA sync (full …): 2,000 leads and 278 opportunities read', ''].join('\n')
    );
  });

  it('never counts past its total: a total below what was already counted is raised to it', () => {
    // the bar redraws on a timer (every 100 ms): each step lets it draw once
    jest.useFakeTimers();
    const t = terminal();
    const bar = createOutput(false, { out: t.stream, err: t.stream }).progress(100, 'Seeding');
    const shares: number[] = [];
    const step = (f: () => void) => {
      f();
      jest.advanceTimersByTime(150);
      const m = /(\d+)% \| (\d+)\/(\d+)/.exec(t.screen.lines[t.screen.row]);
      if (m) shares.push(Number(m[1]));
    };
    step(() => bar.increment(60));
    step(() => bar.setTotal(50)); // a total below what was counted is raised to it
    step(() => bar.increment(10));
    bar.stop();
    jest.useRealTimers();
    expect(shares).toEqual([60, 100, 100]);
    expect(t.screen.text()).toBe('✓ Seeding  70/70\n');
  });

  it('with --json or off a terminal: nothing at all', () => {
    for (const [json, tty] of [
      [true, true],
      [false, false]
    ]) {
      const t = terminal();
      t.stream.isTTY = tty;
      const bar = createOutput(json, { out: t.stream, err: t.stream }).progress(10, 'Reports');
      bar.increment(10);
      bar.stop();
      expect(t.written).toEqual([]);
    }
  });
});
