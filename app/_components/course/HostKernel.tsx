"use client";

import { useEffect, useState } from "react";
import { useTranslations } from "next-intl";
import { hostKernel } from "@/_lib/actions/learning";

/** The host's kernel release, asked at view time (the lesson page itself is prerendered at build time). */
export default function HostKernel() {
  const t = useTranslations("hostKernel");
  const [value, setValue] = useState<string | null>(null);
  useEffect(() => {
    void hostKernel().then(setValue, () => setValue("?"));
  }, []);
  return (
    <code className="host-kernel" title={t("label")}>
      {value ?? t("loading")}
    </code>
  );
}
