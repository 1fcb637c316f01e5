// Preloaded (node --require) into the Hardhat node that startLocalNode spawns: the node exits as soon as the
// process that spawned it is gone, however that process ended (stop(), a crash, an exit that skipped its
// clean-up, SIGKILL), so no orphaned node keeps its port and its memory.
//
// Why a preload and not a watchdog process around the node: `hardhat node` never reads its stdin, so it can
// watch it itself, and the node stays one process (its PID is the one stop() signals) with no second Node
// runtime beside it. Plain JavaScript: it runs before anything is compiled, beside the sources and in dist/.
//
// Two signs, either enough: the spawner holds the write end of our stdin and never writes to it, and the kernel
// closes it when the spawner dies, so stdin ends at once; and our parent PID changes when the spawner dies (we
// are handed to init or a subreaper), which a poll notices even if some other process kept the pipe open.
'use strict';
const { fstatSync } = require('node:fs');
const { setInterval } = require('node:timers');

const PARENT_POLL_MS = 500;
const spawner = process.ppid;

function endWithParent(reason) {
  process.stderr.write(`the process that started this node (PID ${spawner}) is gone (${reason}): the node stops\n`);
  process.exit(0);
}

// Only a pipe (a socket pair, as Node's spawn makes them) from the spawner: /dev/null or a terminal would end
// or block at once and say nothing about the parent.
const stdin = fstatSync(0);
if (stdin.isFIFO() || stdin.isSocket()) {
  process.stdin.on('end', () => endWithParent('its end of our stdin closed'));
  process.stdin.on('error', () => endWithParent('our stdin failed'));
  process.stdin.resume();
}

setInterval(() => {
  if (process.ppid !== spawner) endWithParent(`our parent is now PID ${process.ppid}`);
}, PARENT_POLL_MS).unref();
