"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import RecordingPlayer from "./RecordingPlayer";

/** A sandbox's recorded Terminals; "Replay" mounts the player for that one (recordings load on demand). */
export default function ReplayList({ sandboxId, terminals }: { sandboxId: string; terminals: string[] }) {
  const t = useTranslations("instructor");
  const [open, setOpen] = useState<string | null>(null);
  return (
    <ul className="replay-list">
      {terminals.map((id) => (
        <li key={id}>
          <button
            type="button"
            className="btn btn--ghost btn--small"
            aria-expanded={open === id}
            onClick={() => setOpen(open === id ? null : id)}
            data-testid={`replay-open-${id}`}
          >
            {t("replay")} {id}
          </button>
          {open === id && (
            <RecordingPlayer
              src={`/api/recordings/${encodeURIComponent(sandboxId)}/${encodeURIComponent(id)}`}
              title={t("replayTitle", { terminal: id })}
            />
          )}
        </li>
      ))}
    </ul>
  );
}
