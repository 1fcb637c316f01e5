/** Runs `tick` now and then `intervalMs` after each tick ends: ticks never overlap. */
export class Loop {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private running = false;

  constructor(
    private readonly intervalMs: number,
    private readonly tick: () => Promise<unknown>,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    // A tick still in flight from before a stop() schedules the next one itself.
    if (!this.inFlight && !this.timer) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.tick()
        .then(
          () => undefined,
          () => undefined, // each tick reports its own failures
        )
        .finally(() => {
          this.inFlight = undefined;
          if (this.running) this.schedule(this.intervalMs);
        });
    }, delayMs);
  }
}
