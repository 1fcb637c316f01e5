import { SingleBar } from 'cli-progress';

export interface Progress {
  increment(): void;
  stop(): void;
}

/** A progress bar on `stream` when it is a terminal; nothing at all otherwise (a pipe or a log gets no bar). */
export function progressBar(stream: NodeJS.WritableStream & { isTTY?: boolean }, total: number, label: string): Progress {
  if (!stream.isTTY) return { increment() {}, stop() {} };
  const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} {percentage}% eta {eta_formatted}`, stream, hideCursor: true });
  bar.start(total, 0);
  return { increment: () => bar.increment(), stop: () => bar.stop() };
}
