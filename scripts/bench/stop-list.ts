/**
 * What a benchmark started, to be stopped in reverse order however the run ends: normally, on an error, or on
 * Ctrl-C / SIGTERM (the processes it started live in their own process groups, so a terminal's Ctrl-C does not
 * reach them: the bench must stop them itself).
 */
export class StopList {
  private readonly stops: (() => Promise<void>)[] = [];
  private stopping: Promise<void> | undefined;
  private readonly onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping what the bench started...`);
    void this.stopAll().then(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };

  /** `stop` runs once, before everything added earlier. */
  add(stop: () => Promise<void>): void {
    this.stops.push(stop);
  }

  stopOnSignals(): void {
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  /** Runs every stop, newest first; one that fails is reported and the others still run. */
  stopAll(): Promise<void> {
    this.stopping ??= (async () => {
      process.off('SIGINT', this.onSignal);
      process.off('SIGTERM', this.onSignal);
      while (this.stops.length > 0) {
        const stop = this.stops.pop()!;
        try {
          await stop();
        } catch (error) {
          console.error('could not stop:', error);
        }
      }
    })();
    return this.stopping;
  }
}
