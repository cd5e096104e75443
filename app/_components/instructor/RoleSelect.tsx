"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { setRoleAction } from "@/_lib/actions/classes";

/** An account's role on the admin page: pick, save, hear the result. */
export default function RoleSelect({ userId, role, label }: { userId: string; role: string; label: string }) {
  const t = useTranslations("admin");
  const [value, setValue] = useState(role);
  const [status, setStatus] = useState("");
  return (
    <div className="role-select">
      <select aria-label={label} value={value} onChange={(e) => setValue(e.target.value)}>
        {(["learner", "instructor", "admin"] as const).map((r) => (
          <option key={r} value={r}>
            {t(`role_${r}`)}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="btn btn--ghost btn--small"
        onClick={async () => {
          const r = await setRoleAction(userId, value);
          setStatus(r.ok ? t("saved") : r.message);
        }}
      >
        {t("save")}
      </button>
      <span role="status" className="muted small">
        {status}
      </span>
    </div>
  );
}
