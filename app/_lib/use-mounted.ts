import { useSyncExternalStore } from "react";

const noSubscribe = () => () => {};

/** False on the server and during hydration, true after: for what only the browser knows (its time zone, its clock). */
export function useMounted(): boolean {
  return useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );
}
