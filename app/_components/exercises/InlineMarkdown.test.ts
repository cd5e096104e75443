import { describe, expect, it } from "vitest";
import { splitInline } from "./InlineMarkdown";

describe("splitInline", () => {
  it("splits inline code and bold out of text", () => {
    expect(splitInline("Rode `ps -ef` e **compare**.")).toEqual([
      { kind: "text", value: "Rode " },
      { kind: "code", value: "ps -ef" },
      { kind: "text", value: " e " },
      { kind: "bold", value: "compare" },
      { kind: "text", value: "." },
    ]);
  });
  it("leaves text with an unpaired backtick alone", () => {
    expect(splitInline("a ` b")).toEqual([{ kind: "text", value: "a ` b" }]);
  });
});
