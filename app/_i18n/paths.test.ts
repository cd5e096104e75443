import { describe, expect, it } from "vitest";
import { alternatePaths, homePath, lessonPath, parsePath } from "./paths";
import { locales, routing } from "./routing";

describe("localized paths", () => {
  it("puts Portuguese at the root and English under /en", () => {
    expect(homePath("pt-BR")).toBe("/");
    expect(homePath("en")).toBe("/en");
    expect(lessonPath("pt-BR", "o-que-e-docker")).toBe("/licoes/o-que-e-docker");
    expect(lessonPath("en", "what-is-docker")).toBe("/en/lessons/what-is-docker");
  });

  it("follows the routing config (as-needed prefix, pt-BR default)", () => {
    expect(routing.defaultLocale).toBe("pt-BR");
    expect(routing.localePrefix).toBe("as-needed");
  });

  it("keeps the learner on the same lesson when switching language", () => {
    expect(alternatePaths({ "pt-BR": "imagens-e-camadas", en: "images-and-layers" })).toEqual({
      "pt-BR": "/licoes/imagens-e-camadas",
      en: "/en/lessons/images-and-layers",
    });
    expect(alternatePaths(null)).toEqual({ "pt-BR": "/", en: "/en" });
  });

  it("parses what it builds, for every locale", () => {
    for (const locale of locales) {
      expect(parsePath(homePath(locale))).toEqual({ locale });
      expect(parsePath(lessonPath(locale, "a-b-c"))).toEqual({ locale, lessonSlug: "a-b-c" });
    }
  });

  it("rejects paths that are not pages of the course", () => {
    expect(parsePath("/lessons/what-is-docker")).toBeNull(); // English segment without the /en prefix
    expect(parsePath("/en/licoes/o-que-e-docker")).toBeNull(); // Portuguese segment under /en
    expect(parsePath("/licoes")).toBeNull();
    expect(parsePath("/licoes/a/b")).toBeNull();
  });

  it("encodes slugs so a strange slug cannot change the path", () => {
    expect(lessonPath("pt-BR", "a/b")).toBe("/licoes/a%2Fb");
  });
});
