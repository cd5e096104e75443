import type { Metadata } from "next";
import { headers } from "next/headers";
import { forbidden } from "next/navigation";
import { getTranslations } from "next-intl/server";
import QRCode from "qrcode";
import CopyField from "@/_components/instructor/CopyField";
import { platformConfig } from "@/_lib/config";
import { ForbiddenError } from "@/_lib/dal/rules";
import { getManagedClass, NotFoundError } from "@/_lib/dal/teaching";
import { pageLocale } from "@/_lib/instructor/page-kit";
import { pages } from "@/_lib/instructor/paths";
import "@/_components/roster/roster.css";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const t = await getTranslations({ locale: await pageLocale(params), namespace: "roster" });
  return { title: t("projector"), robots: { index: false } };
}

/** The address learners type or scan: PUBLIC_URL when set, else the host this page was asked on. */
async function origin(): Promise<string> {
  const configured = platformConfig().PUBLIC_URL;
  if (configured) return configured.replace(/\/$/, "");
  const h = await headers();
  const proto = h.get("x-forwarded-proto") === "https" ? "https" : "http";
  return `${proto}://${h.get("x-forwarded-host") ?? h.get("host") ?? "localhost"}`;
}

/** For the classroom's projector: the join code large, a QR code of the join link, the link itself. */
export default async function ProjectorPage({ params }: { params: Promise<{ locale: string; id: string }> }) {
  const locale = await pageLocale(params);
  const { id } = await params;
  const t = await getTranslations({ locale, namespace: "roster" });
  let cls;
  try {
    cls = await getManagedClass(id);
  } catch (e) {
    if (e instanceof ForbiddenError || e instanceof NotFoundError) forbidden();
    throw e;
  }
  const link = (await origin()) + pages.join(locale, cls.code);
  // An SVG made on the server: sharp at any projector size, no script needed.
  const svg = await QRCode.toString(link, { type: "svg", errorCorrectionLevel: "M", margin: 1 });
  return (
    <main id="content" className="page projector">
      <p className="breadcrumb">
        <a href={pages.class(locale, id)}>{t("backToClass", { name: cls.name })}</a>
      </p>
      <h1>{t("projectorTitle", { name: cls.name })}</h1>
      <p className="muted">{t("projectorHelp")}</p>
      <p className="projector__code" data-testid="projector-code" aria-label={t("codeSpelled", { code: cls.code.split("").join(" ") })}>
        {cls.code}
      </p>
      <div
        className="projector__qr"
        role="img"
        aria-label={t("qrLabel", { link })}
        data-testid="projector-qr"
        dangerouslySetInnerHTML={{ __html: svg }}
      />
      <p className="projector__link" data-testid="projector-link">
        {link}
      </p>
      <CopyField label={t("linkLabel")} value={link} />
    </main>
  );
}
