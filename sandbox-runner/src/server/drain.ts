import fs from "node:fs";

/**
 * A runner that is draining takes no new sandboxes; the ones it holds live out their time. The
 * state is a file in the runner's directory, so it outlives a runner restart and an operator can
 * set it without a token (`touch <DATA_DIR>/runner/draining`, e.g. through `kubectl exec`), while
 * the app sets it through PUT /v1/drain. Read on every use: the file is the only truth.
 */
export class DrainSwitch {
  constructor(private readonly file: string) {}

  get on(): boolean {
    return fs.existsSync(this.file);
  }

  set(on: boolean): boolean {
    if (on) fs.writeFileSync(this.file, `${new Date().toISOString()}\n`, { mode: 0o600 });
    else fs.rmSync(this.file, { force: true });
    return this.on;
  }
}
