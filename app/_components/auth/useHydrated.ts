"use client";

import { useSyncExternalStore } from "react";

const noop = () => () => {};

/** False during server rendering and hydration, true once React runs in the browser. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
}

/** The page's path in the browser (undefined on the server). */
export function useBrowserPath(): string | undefined {
  return useSyncExternalStore(
    noop,
    () => window.location.pathname,
    () => undefined,
  );
}
