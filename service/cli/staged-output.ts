/**
 * Output that appears whole or not at all: files are written into a hidden temporary folder beside the target and
 * renamed into place at the end, so a run that fails half-way (a bad row, a full disk, Ctrl-C) leaves no
 * half-written result where the user looks for one.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CliUsageError } from './cli-errors';

export interface StagedOutput {
  /** Writes one file of the output (a name inside the folder, or the target's own name for a single file). */
  write(name: string, content: string | Uint8Array, mode?: number): Promise<void>;
  /** Moves the output into place, replacing what was there when --force allowed it. */
  commit(): Promise<void>;
  /** Removes what was written. */
  abandon(): Promise<void>;
}

/** Refuses an existing target unless `force`: a run never overwrites a result by surprise. */
export function refuseExisting(target: string, force: boolean | undefined): void {
  if (!force && existsSync(target)) throw new CliUsageError(`${target} already exists: give --force to replace it`);
}

/**
 * Stages `target`: a folder when `kind` is 'folder' (write() names files inside it), else one file (write() is
 * called once, with basename(target)).
 */
export async function stageOutput(target: string, kind: 'folder' | 'file', force: boolean | undefined): Promise<StagedOutput> {
  refuseExisting(target, force);
  let staging: string;
  try {
    staging = await mkdtemp(join(dirname(target), `.${basename(target)}.partial-`));
  } catch (cause) {
    throw new CliUsageError(`cannot write beside ${target}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`);
  }
  const staged = kind === 'folder' ? staging : join(staging, basename(target));
  return {
    async write(name, content, mode = 0o644) {
      await writeFile(kind === 'folder' ? join(staging, name) : staged, content, { mode });
    },
    async commit() {
      const previous = existsSync(target) ? `${staging}.previous` : undefined;
      if (previous) await rename(target, previous);
      await rename(staged, target);
      if (previous) await rm(previous, { recursive: true, force: true });
      if (kind === 'file') await rm(staging, { recursive: true, force: true });
    },
    async abandon() {
      await rm(staging, { recursive: true, force: true });
    },
  };
}

/** Runs `produce` on a staged output and commits it; anything thrown removes the staging folder first. */
export async function writeStaged(target: string, kind: 'folder' | 'file', force: boolean | undefined, produce: (output: StagedOutput) => Promise<void>): Promise<void> {
  const output = await stageOutput(target, kind, force);
  const abandonOnSignal = () => {
    void output.abandon().finally(() => process.exit(130));
  };
  process.once('SIGINT', abandonOnSignal);
  try {
    await produce(output);
    await output.commit();
  } catch (error) {
    await output.abandon();
    throw error;
  } finally {
    process.removeListener('SIGINT', abandonOnSignal);
  }
}
