import { describe, expect, it } from "vitest";
import { diskTmpfsOptions, INODES_PER_MB, overlayNames } from "./mounts";

describe("diskTmpfsOptions", () => {
  it("caps both the bytes and the inodes of the writable layer, proportionally", () => {
    expect(diskTmpfsOptions(16, 100000)).toBe("size=16m,nr_inodes=4096,mode=0755,uid=100000,gid=100000,nosuid,nodev");
    const opts = (mb: number) =>
      Object.fromEntries(
        diskTmpfsOptions(mb, 1)
          .split(",")
          .map((o) => o.split("=")),
      );
    expect(Number(opts(256).nr_inodes)).toBe(256 * INODES_PER_MB);
    expect(Number(opts(512).nr_inodes)).toBe(2 * Number(opts(256).nr_inodes));
  });

  it("never lets set-uid files or device nodes on the layer work", () => {
    const o = diskTmpfsOptions(8, 100000).split(",");
    expect(o).toContain("nosuid");
    expect(o).toContain("nodev");
  });
});

describe("overlayNames", () => {
  it("names the layers top first, upper and work by their role, and no path", () => {
    expect(overlayNames(3)).toEqual({
      layers: ["layer1", "layer2", "layer3"],
      options: "lowerdir=layer3:layer2:layer1,upperdir=upper,workdir=work",
    });
  });
});
