import { describe, expect, it } from "vitest";
import { DEFAULT_ENV } from "../container/spec";
import { imageEnv } from "./index";

describe("the Image's env", () => {
  it("keeps the config's Env and adds the defaults it does not set", () => {
    expect(imageEnv(["PATH=/opt/bin:/usr/bin", "LANG=pt_BR.UTF-8", "CURSO=1"])).toEqual([
      "PATH=/opt/bin:/usr/bin",
      "LANG=pt_BR.UTF-8",
      "CURSO=1",
      "HOME=/root",
    ]);
  });
  it("falls back to the defaults without a PATH or without a usable Env", () => {
    expect(imageEnv(["LANG=C"])).toEqual(DEFAULT_ENV);
    expect(imageEnv(undefined)).toEqual(DEFAULT_ENV);
    expect(imageEnv("PATH=/bin")).toEqual(DEFAULT_ENV);
  });
});
