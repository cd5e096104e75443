export function normalizeAddress(a: unknown): string;
export function parseTrustedProxies(text: string | undefined): Set<string>;
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trusted: Set<string>): string;
