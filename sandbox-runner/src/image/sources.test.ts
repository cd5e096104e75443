import { describe, expect, it } from "vitest";
import { mirrorArgsFor, parseAptSources } from "./sources";

const deb822 = `Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
`;

describe("host apt sources → mmdebstrap mirrors", () => {
  it("keeps the suite, its updates and security, from deb822 files", () => {
    expect(mirrorArgsFor("bookworm", parseAptSources({ "debian.sources": deb822, "other.sources.disabled": "x" }))).toEqual([
      "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main",
      "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-updates main",
      "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security bookworm-security main",
    ]);
  });
  it("reads one-line sources.list and skips other suites and repositories", () => {
    const list =
      "deb http://mirror.local/debian bookworm main contrib # local\n# deb http://x y z\ndeb https://other.example/apt cloud-sdk main\n";
    expect(mirrorArgsFor("bookworm", parseAptSources({ "sources.list": list }))).toEqual([
      "deb http://mirror.local/debian bookworm main contrib",
    ]);
  });
  it("falls back to mmdebstrap's default when the host has no entry for the suite", () => {
    expect(mirrorArgsFor("trixie", parseAptSources({ "debian.sources": deb822 }))).toEqual([]);
  });
});
