import { SEED_OBJECTS, type SeedBatch, type SeedObject } from './types';

/**
 * The order a batch of leads is written in, as a graph rather than a line: an object waits only for the objects
 * of its batch its records refer to (a lead for its converted account, contact and opportunity; a task for its
 * lead) and for the same object of the batch before. So, once a batch's leads are in, its history, activities,
 * memberships, feedback and reviews are written side by side, and the next batch's accounts, contacts and leads
 * alongside them: the org always has a job to work on while the loader builds the next upload or reads the last
 * one's results. Each object's records still reach the org in plan order (its Ids and auto-numbers are the same
 * as a load one object at a time).
 */

/** Every write of one batch by object (settled or not). */
export type BatchWrites = Map<SeedObject, Promise<void>>;

/** The objects of the batch (not shared) a batch's `sobject` records refer to, earlier in SEED_OBJECTS order. */
export function referencedObjects(batch: SeedBatch, sobject: SeedObject, shared: readonly SeedObject[]): SeedObject[] {
  const earlier = SEED_OBJECTS.slice(0, SEED_OBJECTS.indexOf(sobject)).filter((o) => !shared.includes(o));
  const found = new Set<string>();
  for (const r of batch.records[sobject]) {
    for (const f in r.refs) {
      const key = r.refs[f];
      found.add(key.slice(0, key.indexOf(':')));
    }
  }
  return earlier.filter((o) => found.has(o));
}

/**
 * Starts writing a batch: `write(sobject, referenced)` for every object that is not shared, each once the objects
 * it refers to in this batch and the same object of the batch `before` are written; `referenced`: other records of
 * the batch refer to this object's (so their Ids are needed). A write that fails makes the ones
 * waiting for it fail too; `settle` waits for all of them and throws the first failure.
 */
export function startBatchWrites(
  batch: SeedBatch,
  shared: readonly SeedObject[],
  before: BatchWrites | undefined,
  write: (sobject: SeedObject, referenced: boolean) => Promise<void>
): BatchWrites {
  const writes: BatchWrites = new Map();
  const own = SEED_OBJECTS.filter((o) => !shared.includes(o));
  const refs = new Map(own.map((o) => [o, referencedObjects(batch, o, shared)]));
  const referenced = new Set([...refs.values()].flat());
  for (const sobject of own) {
    const waits = (refs.get(sobject) ?? []).map((o) => writes.get(o));
    const previous = before?.get(sobject);
    if (previous) waits.push(previous);
    const done = Promise.all(waits).then(() => write(sobject, referenced.has(sobject)));
    // awaited by `settle`; until then a failure must not count as unhandled
    done.catch(() => undefined);
    writes.set(sobject, done);
  }
  return writes;
}

/** Waits for every write of a batch to end, then throws the first that failed (in SEED_OBJECTS order). */
export async function settle(writes: BatchWrites): Promise<void> {
  const results = await Promise.allSettled(writes.values());
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
