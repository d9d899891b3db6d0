import type { ChildProcess } from 'node:child_process';

/**
 * Calls from the scale bench to the processes it forks, over Node's IPC channel (no port, no token: only
 * the parent holds the channel): `{ id, method, arg }` in, `{ id, value }` or `{ id, error }` back.
 */

interface Call {
  id: number;
  method: string;
  arg?: unknown;
}

interface Answer {
  id: number;
  value?: unknown;
  error?: string;
}

export type Handlers = Map<string, (arg: unknown) => unknown>;

/** In a forked process: answers the parent's calls with `handlers`; exits once it has answered a call to `exitAfter`. */
export function answerParent(handlers: Handlers, exitAfter?: string): void {
  process.on('message', (message: Call) => {
    void (async () => {
      let answer: Answer;
      try {
        const handler = handlers.get(message.method);
        if (!handler) throw new Error(`no such call: ${message.method}`);
        answer = { id: message.id, value: await handler(message.arg) };
      } catch (err) {
        answer = { id: message.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
      }
      process.send?.(answer, () => {
        if (message.method === exitAfter) process.exit(answer.error === undefined ? 0 : 1);
      });
    })();
  });
}

/** In the parent: calls into a forked process, and knows when it exited. */
export class ChildCalls {
  private next = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  /** Resolves with the exit code (or signal) once the process has exited. */
  readonly exited: Promise<number | string>;

  constructor(
    readonly child: ChildProcess,
    private readonly what: string
  ) {
    child.on('message', (answer: Answer) => {
      const waiting = this.pending.get(answer.id);
      if (!waiting) return;
      this.pending.delete(answer.id);
      if (answer.error !== undefined) waiting.reject(new Error(`${what}: ${answer.error}`));
      else waiting.resolve(answer.value);
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        const status = code ?? signal ?? 'unknown';
        for (const waiting of this.pending.values()) waiting.reject(new Error(`${what} exited (${status}) before it answered`));
        this.pending.clear();
        resolve(status);
      });
    });
  }

  call<T>(method: string, arg?: unknown): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ id, method, arg } satisfies Call, (err) => {
        if (!err) return;
        this.pending.delete(id);
        reject(new Error(`${this.what}: ${err.message}`));
      });
    });
  }
}
