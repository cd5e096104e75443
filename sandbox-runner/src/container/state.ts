/**
 * A Container's lifecycle as a transition table (runc's libcontainer/state_linux.go habit):
 * each state lists the moves it allows; anything else is a programming error, not a runtime surprise.
 */
import type { SandboxState } from "../../../contract/types";

/** The API's sandbox states, as the container goes through them. */
export type ContainerState = SandboxState;

export const transitions: Readonly<Record<ContainerState, readonly ContainerState[]>> = {
  creating: ["running", "stopping"], // stopping: creation failed or destroy() arrived first
  running: ["stopping"],
  stopping: ["gone"],
  gone: [],
};

export class InvalidTransitionError extends Error {
  constructor(
    readonly from: ContainerState,
    readonly to: ContainerState,
  ) {
    super(`invalid state transition from ${from} to ${to}`);
    this.name = "InvalidTransitionError";
  }
}

export function canTransition(from: ContainerState, to: ContainerState): boolean {
  return transitions[from].includes(to);
}

/** Returns the new state, or throws InvalidTransitionError. */
export function transition(from: ContainerState, to: ContainerState): ContainerState {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
  return to;
}
