/** The minutes of a rolling 24-hour window. */
const WINDOW_MINUTES = 24 * 60;

/**
 * The org's API request count over the past 24 hours (bounds.ts: DEFAULT_DAILY_API_REQUESTS), kept
 * in memory per minute of the org's clock: a request counts in the minute it arrives and stops
 * counting 24 hours later. Like the tokens, the count starts again when the local org restarts.
 */
export class ApiUsage {
  /** Requests per minute (minutes since the epoch), oldest first. */
  private readonly minutes: Array<{ minute: number; count: number }> = [];
  private total = 0;

  constructor(
    /** The allocation: how many requests the past 24 hours may hold. */
    readonly max: number,
    private readonly clock: () => Date
  ) {}

  /** Requests counted in the past 24 hours. */
  used(): number {
    this.expire(this.minuteNow());
    return this.total;
  }

  /** Counts one request, or answers false (and counts nothing) when the allocation is used up. */
  take(): boolean {
    const minute = this.minuteNow();
    this.expire(minute);
    if (this.total >= this.max) return false;
    const last = this.minutes.at(-1);
    if (last?.minute === minute) last.count++;
    else this.minutes.push({ minute, count: 1 });
    this.total++;
    return true;
  }

  private minuteNow(): number {
    return Math.floor(this.clock().getTime() / 60_000);
  }

  private expire(minute: number): void {
    while (this.minutes.length > 0 && this.minutes[0].minute <= minute - WINDOW_MINUTES) {
      this.total -= this.minutes.shift()!.count;
    }
  }
}
