/**
 * Files the service keeps beside its database (keys, the deployment record) are written as SQLite writes its
 * commits: the data reaches the disk before the name points at it. A plain writeFile can leave a file that
 * exists but is empty after a power cut or an ext4 error (the metadata is journaled, the data was not yet
 * written), and the next start would then fail on a key file that is "not JSON".
 */
import { closeSync, fsyncSync, linkSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface DurableWriteOptions {
  /** File mode of the new file (e.g. 0o600 for a key). */
  mode?: number;
  /** Refuse to replace an existing file (EEXIST), as writeFile's flag 'wx' does. */
  exclusive?: boolean;
}

/** Writes `text` to `path` through a temporary file in the same folder: fsync, rename, fsync of the folder. */
export function writeFileDurably(path: string, text: string, { mode = 0o644, exclusive = false }: DurableWriteOptions = {}): void {
  const folder = dirname(path);
  const temporary = join(folder, `.${basename(path)}.${process.pid}.tmp`);
  const descriptor = openSync(temporary, 'w', mode);
  try {
    try {
      writeSync(descriptor, text);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    // link(2) fails if the name exists, so two starts racing for one key cannot both win.
    if (exclusive) linkSync(temporary, path);
    else renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
  syncFolder(folder);
}

function syncFolder(folder: string): void {
  const descriptor = openSync(folder, 'r');
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}
