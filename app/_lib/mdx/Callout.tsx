import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import type { CalloutKind } from "@content/lib/components";
import type { Locale } from "@/_i18n/routing";

const ICON: Record<CalloutKind, string> = { info: "i", tip: "✦", warning: "!" };

export default async function Callout({
  kind,
  title,
  children,
  locale,
}: {
  kind: CalloutKind;
  title?: string;
  children?: ReactNode;
  locale: Locale;
}) {
  const t = await getTranslations({ locale, namespace: "callout" });
  return (
    <aside className={`callout callout--${kind}`} aria-label={title ?? t(kind)}>
      <span className="callout__icon" aria-hidden="true">
        {ICON[kind]}
      </span>
      <div className="callout__body">
        <p className="callout__title">{title ?? t(kind)}</p>
        {children}
      </div>
    </aside>
  );
}
