"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import ShadowTerminal from "@/_components/instructor/ShadowTerminal";
import "./roster.css";

/**
 * Several learners' live terminals at once, read only (the observe/shadowing path: observer tokens,
 * no input). Small thumbnails; "Enlarge" shows one at full size.
 */
export default function TerminalGrid({ learners }: { learners: { userId: string; name: string; sandboxId: string }[] }) {
  const t = useTranslations("roster");
  const [big, setBig] = useState<string | null>(null);
  const shown = big ? learners.filter((l) => l.userId === big) : learners;
  return (
    <div className={big ? "" : "terminal-grid"}>
      {shown.map((l) => (
        <section key={`${l.userId}-${big ?? ""}`} className="terminal-grid__item" aria-label={l.name} data-testid={`grid-${l.userId}`}>
          <div className="roster-row">
            <h2 className="section-title">{l.name}</h2>
            <button
              type="button"
              className="btn btn--ghost btn--small"
              onClick={() => setBig(big ? null : l.userId)}
              data-testid="grid-enlarge"
              aria-pressed={big === l.userId}
            >
              {big ? t("shrink") : t("enlarge")}
            </button>
          </div>
          <ShadowTerminal sandboxId={l.sandboxId} learnerName={l.name} autoOpen fontSize={big ? 14 : 7} />
        </section>
      ))}
    </div>
  );
}
