export class CapacityError extends Error {
  constructor(readonly running: number) {
    super(`Sandbox capacity reached (${running} running): try again in a minute`);
    this.name = "CapacityError";
  }
}

export class SandboxNotFoundError extends Error {
  constructor(readonly id: string) {
    super(`No sandbox with id ${id}: it may have expired or been destroyed; create a new one.`);
    this.name = "SandboxNotFoundError";
  }
}

export class SandboxNotRunningError extends Error {
  constructor(
    readonly id: string,
    readonly state: string,
  ) {
    super(`Sandbox ${id} is ${state}, not running: wait for it to start, or create a new one.`);
    this.name = "SandboxNotRunningError";
  }
}

export class ShuttingDownError extends Error {
  constructor() {
    super("The sandbox runner is shutting down: try again once it is back.");
    this.name = "ShuttingDownError";
  }
}
