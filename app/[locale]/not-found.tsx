import NextLink from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { alternatePaths, homePath } from "@/_i18n/paths";
import { isLocale, defaultLocale } from "@/_i18n/routing";
import SiteHeader from "@/_lib/site-header";

export default async function NotFound() {
  const raw = await getLocale();
  const locale = isLocale(raw) ? raw : defaultLocale;
  const t = await getTranslations({ locale, namespace: "notFound" });
  return (
    <>
      <SiteHeader locale={locale} alternates={alternatePaths(null)} />
      <main id="content" className="page page--narrow not-found">
        <h1>{t("title")}</h1>
        <p>{t("body")}</p>
        <NextLink className="btn btn--primary" href={homePath(locale)}>
          {t("back")}
        </NextLink>
      </main>
    </>
  );
}
