import * as headlessNs from "@xterm/headless";
import * as serializeNs from "@xterm/addon-serialize";

// Both packages are CommonJS bundles: under tsx (CJS) the classes are named exports, under an ESM
// loader (vitest) they may sit on `default`. Take them from wherever they are.
type HeadlessModule = typeof headlessNs;
type SerializeModule = typeof serializeNs;
const headless = (
  (headlessNs as unknown as { default?: HeadlessModule }).default?.Terminal
    ? (headlessNs as unknown as { default: HeadlessModule }).default
    : headlessNs
) as HeadlessModule;
const serialize = (
  (serializeNs as unknown as { default?: SerializeModule }).default?.SerializeAddon
    ? (serializeNs as unknown as { default: SerializeModule }).default
    : serializeNs
) as SerializeModule;
const HeadlessTerminal = headless.Terminal;
const SerializeAddon = serialize.SerializeAddon;

/**
 * The runner's mirror of one Terminal's screen (with scrollback), so a client that (re)attaches
 * gets exactly what the screen shows. xterm parses writes asynchronously; `pendingBytes` says how
 * much is still queued so the caller can count the screen as a flow-control consumer.
 */
export class Screen {
  private readonly term: InstanceType<typeof HeadlessTerminal>;
  private readonly serializer: InstanceType<typeof SerializeAddon>;
  private pending = 0;
  /** Writes whose parse callback has not run yet (pending counts bytes, which may be 0 for a write). */
  private unparsed = 0;
  private disposed = false;

  constructor(cols: number, rows: number, scrollback = 5000) {
    this.term = new HeadlessTerminal({ cols, rows, scrollback, allowProposedApi: true });
    this.serializer = new SerializeAddon();
    this.term.loadAddon(this.serializer);
  }

  get cols(): number {
    return this.term.cols;
  }
  get rows(): number {
    return this.term.rows;
  }
  get pendingBytes(): number {
    return this.pending;
  }

  /** Queues output; `onParsed(bytes)` fires once xterm has applied it (for flow control). */
  write(data: string | Uint8Array, bytes: number, onParsed?: (bytes: number) => void): void {
    if (this.disposed) return;
    this.pending += bytes;
    this.unparsed++;
    this.term.write(data, () => {
      this.pending -= bytes;
      this.unparsed--;
      onParsed?.(bytes);
    });
  }

  resize(cols: number, rows: number): void {
    if (!this.disposed) this.term.resize(cols, rows);
  }

  /**
   * Calls `cb` with the serialized screen once everything written so far is parsed — and nothing
   * written afterwards: xterm runs a write's callback right after that write, before the next one.
   * So the snapshot covers exactly the output up to this call; later output goes to the client
   * after it.
   */
  snapshot(cb: (serialized: string, size: { cols: number; rows: number }) => void): void {
    if (this.disposed) return cb("", { cols: this.cols, rows: this.rows });
    const take = () => cb(this.serializer.serialize(), { cols: this.term.cols, rows: this.term.rows });
    // Everything written is parsed already (the usual case when a client attaches): no need to wait
    // for xterm's next write turn, which is a timer away.
    if (this.unparsed === 0) return take();
    this.term.write("", take);
  }

  /** Plain text of the buffer (tests, debugging). */
  text(): string {
    const b = this.term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < b.length; i++) lines.push(b.getLine(i)?.translateToString(true) ?? "");
    return lines.join("\n");
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.term.dispose();
  }
}
