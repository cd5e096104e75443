import { RunnerFault } from "../../../contract/faults";

/** The manager's refusals, each a RunnerFault whose message tells the caller what to do next. */
export const capacityFault = (running: number) =>
  new RunnerFault("busy", `Sandbox capacity reached (${running} running): try again in a minute`);

export const notFoundFault = (id: string) =>
  new RunnerFault("not-found", `No sandbox with id ${id}: it may have expired or been destroyed; create a new one.`);

export const notRunningFault = (id: string, state: string) =>
  new RunnerFault("not-running", `Sandbox ${id} is ${state}, not running: wait for it to start, or create a new one.`);

export const shuttingDownFault = () => new RunnerFault("shutting-down", "The sandbox runner is shutting down: try again once it is back.");
