"use client";

import { useLocale } from "next-intl";
import { useMounted } from "@/_lib/use-mounted";

/**
 * A time in the viewer's own time zone (the browser's). The server does not know it, so the server's
 * HTML (and the first client render, to hydrate the same) says the time in UTC; once mounted, the
 * browser's local time.
 */
export default function LocalTime({
  iso,
  dateStyle,
  timeStyle,
}: {
  iso: string;
  dateStyle?: "short" | "medium";
  timeStyle?: "short" | "medium";
}) {
  const locale = useLocale();
  const mounted = useMounted();
  const d = new Date(iso);
  const text = mounted
    ? new Intl.DateTimeFormat(locale, { dateStyle, timeStyle }).format(d)
    : new Intl.DateTimeFormat(locale, { dateStyle, timeStyle, timeZone: "UTC" }).format(d) + (timeStyle ? " UTC" : "");
  return <time dateTime={iso}>{text}</time>;
}
