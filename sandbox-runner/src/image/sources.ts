/**
 * Which Debian mirror the Image is built from: the host's own apt configuration (a machine that can
 * `apt-get install` can build the Image). Parses sources.list one-line entries and deb822 .sources
 * stanzas, keeps the entries of the Image's suite (and its -updates / -security), and returns them
 * as mmdebstrap MIRROR arguments ("deb [signed-by=…] URI SUITE COMPONENTS"). Pure.
 */
export interface AptSource {
  uri: string;
  suite: string;
  components: string[];
  signedBy?: string;
}

function parseOneLine(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    if (!line.startsWith("deb ")) continue;
    let rest = line.slice(4).trim();
    let signedBy: string | undefined;
    const opts = rest.match(/^\[([^\]]*)\]\s*/);
    if (opts) {
      rest = rest.slice(opts[0].length);
      signedBy = opts[1]!
        .split(/\s+/)
        .find((o) => o.startsWith("signed-by="))
        ?.slice("signed-by=".length);
    }
    const [uri, suite, ...components] = rest.split(/\s+/);
    if (uri && suite) out.push({ uri, suite, components, signedBy });
  }
  return out;
}

function parseDeb822(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields: Record<string, string> = {};
    let last = "";
    for (const raw of stanza.split("\n")) {
      if (raw.startsWith("#")) continue;
      if (/^\s/.test(raw) && last) {
        fields[last] += ` ${raw.trim()}`;
        continue;
      }
      const m = raw.match(/^([A-Za-z-]+):\s*(.*)$/);
      if (m) fields[(last = m[1]!.toLowerCase())] = m[2]!.trim();
    }
    if ((fields.enabled ?? "yes").toLowerCase() === "no") continue;
    if (!(fields.types ?? "").split(/\s+/).includes("deb")) continue;
    const signedBy = fields["signed-by"] && !fields["signed-by"].includes("BEGIN PGP") ? fields["signed-by"] : undefined;
    for (const uri of (fields.uris ?? "").split(/\s+/).filter(Boolean)) {
      for (const suite of (fields.suites ?? "").split(/\s+/).filter(Boolean)) {
        out.push({ uri, suite, components: (fields.components ?? "main").split(/\s+/).filter(Boolean), signedBy });
      }
    }
  }
  return out;
}

/** `files` maps a file name (e.g. "debian.sources", "sources.list") to its text. */
export function parseAptSources(files: Record<string, string>): AptSource[] {
  return Object.entries(files).flatMap(([name, text]) =>
    name.endsWith(".sources") ? parseDeb822(text) : name.endsWith(".list") ? parseOneLine(text) : [],
  );
}

export function mirrorArgsFor(suite: string, sources: AptSource[]): string[] {
  const wanted = new Set([suite, `${suite}-updates`, `${suite}-security`]);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of sources) {
    if (!wanted.has(s.suite)) continue;
    const line = `deb ${s.signedBy ? `[signed-by=${s.signedBy}] ` : ""}${s.uri} ${s.suite} ${s.components.join(" ")}`;
    if (seen.has(line)) continue;
    seen.add(line);
    out.push(line);
  }
  // Without the suite itself the list is useless: let mmdebstrap pick its default mirror.
  return out.some((l) => l.split(" ").includes(suite)) ? out : [];
}
