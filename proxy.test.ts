// The page proxy's language rule, on real requests through next-intl: only `/` negotiates.
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { localeChoiceCookie } from "./app/_i18n/routing";

let proxy: (r: NextRequest) => Response;
beforeAll(async () => {
  process.env.RUNNER_SECRET ??= "unit-test-secret-0123456789abcdef0123456789";
  proxy = (await import("./proxy")).default;
});

function visit(path: string, headers: Record<string, string> = {}): { redirect: string | null; locale: string | null; vary: string } {
  const res = proxy(new NextRequest(`http://course.test${path}`, { headers: { "sec-fetch-dest": "document", ...headers } }));
  const location = res.headers.get("location");
  return {
    redirect: location ? new URL(location).pathname : null,
    // The locale next-intl hands the page (a request header it forwards).
    locale: res.headers.get("x-middleware-request-x-next-intl-locale"),
    vary: res.headers.get("vary") ?? "",
  };
}

describe("the first visit's language", () => {
  it("sends a browser that prefers English from / to /en, and keeps every other one on Portuguese", () => {
    expect(visit("/", { "accept-language": "en-US,en;q=0.9" }).redirect).toBe("/en");
    expect(visit("/", { "accept-language": "en" }).redirect).toBe("/en");
    for (const al of ["pt-BR,pt;q=0.9,en;q=0.8", "pt-PT", "de-DE,de;q=0.9", "ja", ""]) {
      expect({ al, ...visit("/", al ? { "accept-language": al } : {}) }).toMatchObject({ al, redirect: null, locale: "pt-BR" });
    }
    expect(visit("/", { "accept-language": "en-US" }).vary).toMatch(/Accept-Language/);
  });

  it("lets the learner's choice (the cookie the language switch writes) win over the browser's", () => {
    const pt = localeChoiceCookie("pt-BR").split(";")[0]!;
    const en = localeChoiceCookie("en").split(";")[0]!;
    expect(visit("/", { "accept-language": "en-US", cookie: pt })).toMatchObject({ redirect: null, locale: "pt-BR" });
    expect(visit("/", { "accept-language": "pt-BR", cookie: en }).redirect).toBe("/en");
    // A cookie that names no locale of the course is ignored: the browser's language decides.
    expect(visit("/", { "accept-language": "en-US", cookie: "NEXT_LOCALE=../../x" }).redirect).toBe("/en");
    expect(visit("/", { "accept-language": "pt-BR", cookie: "NEXT_LOCALE=fr" })).toMatchObject({ redirect: null, locale: "pt-BR" });
  });

  it("never moves a URL that names its page: a Portuguese lesson stays Portuguese for an English browser", () => {
    expect(visit("/licoes/o-que-e-docker", { "accept-language": "en-US" })).toMatchObject({ redirect: null, locale: "pt-BR" });
    expect(visit("/en", { "accept-language": "pt-BR" })).toMatchObject({ redirect: null, locale: "en" });
    expect(visit("/en/lessons/what-is-docker", { "accept-language": "pt-BR" })).toMatchObject({ redirect: null, locale: "en" });
  });
});
