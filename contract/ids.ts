/** Ids as they travel in URLs and frames: strict patterns, so an id can name a file or path segment safely. */
export const SANDBOX_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
export const TERMINAL_ID_RE = /^t-[a-z0-9]{1,32}$/;
