import { getLocale, getTranslations } from "next-intl/server";
import { alternatePaths, homePath } from "@/_i18n/paths";
import { defaultLocale, isLocale } from "@/_i18n/routing";
import SignInHere from "@/_components/auth/SignInHere";
import { getViewer } from "@/_lib/dal";
import { localized } from "@/_lib/instructor/paths";
import SiteHeader from "@/_lib/site-header";

/**
 * What a refused visitor sees (a page called forbidden(): HTTP 403), in the page's language. Someone
 * signed in is not offered to sign in again: the page is not for their account.
 */
export default async function Forbidden() {
  const raw = await getLocale();
  const locale = isLocale(raw) ? raw : defaultLocale;
  const t = await getTranslations({ locale, namespace: "account" });
  const viewer = await getViewer();
  const signedIn = viewer?.kind === "account";
  return (
    <>
      <SiteHeader locale={locale} alternates={alternatePaths(null)} />
      <main id="content" className="page page--narrow">
        <h1>{t("refusedTitle")}</h1>
        <p className="form-error" role="alert" data-testid="forbidden">
          {t("refusedBody")}
          {signedIn ? "" : ` ${t("refusedGuest")}`}
        </p>
        <p className="button-row">
          {!signedIn && <SignInHere href={localized(locale, "/signin")} label={t("signIn")} />}
          <a className="btn btn--ghost" href={homePath(locale)}>
            {t("home")}
          </a>
        </p>
      </main>
    </>
  );
}
