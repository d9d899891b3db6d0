import { Scheduler } from '../bulk/scheduler';

/** A job of `steps` steps that notes each step it runs. */
function* job(name: string, steps: number, ran: string[]): Generator<void, void, undefined> {
  for (let i = 0; i < steps; i++) {
    ran.push(name);
    yield;
  }
}

/** Waits until the scheduler has run out of steps (each step is one turn of the event loop). */
async function drained(ran: string[], total: number): Promise<void> {
  for (let spins = 0; ran.length < total && spins < 10_000; spins++) await new Promise((resolve) => setImmediate(resolve));
}

describe('bulk job scheduler', () => {
  it('runs the smallest job first, so a small job queued after a big one ends before it', async () => {
    const scheduler = new Scheduler();
    const ran: string[] = [];
    scheduler.add('big', job('big', 6, ran), () => undefined, 1_000_000);
    scheduler.add('small', job('small', 2, ran), () => undefined, 1_000);
    await drained(ran, 8);
    expect(ran.lastIndexOf('small')).toBeLessThan(ran.indexOf('big') + 2);
    expect(ran.filter((n) => n === 'big')).toHaveLength(6);
    scheduler.stop();
  });

  it('gives every fourth step to the job that waited longest, so a big job moves on while small ones come', async () => {
    const scheduler = new Scheduler();
    const ran: string[] = [];
    scheduler.add('big', job('big', 3, ran), () => undefined, 1_000_000);
    for (let i = 0; i < 6; i++) scheduler.add(`small${i}`, job('small', 2, ran), () => undefined, 10);
    await drained(ran, 15);
    // the big job moves on before the small ones are done: its first step is the fourth
    expect(ran.indexOf('big')).toBe(3);
    expect(ran.indexOf('big')).toBeLessThan(ran.lastIndexOf('small'));
    expect(ran.filter((n) => n === 'big')).toHaveLength(3);
    scheduler.stop();
  });

  it('takes jobs of one size in turn', async () => {
    const scheduler = new Scheduler();
    const ran: string[] = [];
    scheduler.add('a', job('a', 2, ran), () => undefined);
    scheduler.add('b', job('b', 2, ran), () => undefined);
    await drained(ran, 4);
    expect(ran).toEqual(['a', 'b', 'a', 'b']);
    scheduler.stop();
  });
});
