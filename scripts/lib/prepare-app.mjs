// For `npm test`: the database and the production build in a worker thread. They run their commands
// with spawnSync, which would stop the main thread for minutes; in a thread of their own, the main
// thread goes on starting the parts that can run beside them (the sandbox Images' next stage).
import fs from "node:fs";
import { format } from "node:util";
import { parentPort, workerData } from "node:worker_threads";
import { ensureBuild, ensureDatabase } from "./product.mjs";
import { continueStepsAfter, SetupError } from "./steps.mjs";

// A worker's console goes through the main thread, later than the output of the commands it runs
// (written straight to the terminal): write our own lines straight too, so they stay in order.
console.log = (...args) => fs.writeSync(1, `${format(...args)}\n`);
console.error = (...args) => fs.writeSync(2, `${format(...args)}\n`);

const { cfg, databaseEnv, stepsBefore } = workerData;
continueStepsAfter(stepsBefore);
try {
  ensureDatabase(cfg, databaseEnv);
  parentPort.postMessage({ done: "database" });
  ensureBuild(cfg);
  parentPort.postMessage({ done: "build" });
} catch (e) {
  // A SetupError says what to do; anything else keeps its stack for whoever debugs it.
  parentPort.postMessage({ failed: e instanceof SetupError ? e.message : (e?.stack ?? String(e)) });
  process.exitCode = 1;
}
