import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { getTranslations } from "next-intl/server";
import LocalTime from "@/_components/LocalTime";
import RoleSelect from "@/_components/instructor/RoleSelect";
import RunnersTable, { type RunnerRow } from "@/_components/instructor/RunnersTable";
import { fleet } from "@/_lib/runner";
import { getAccounts, getMyAccount } from "@/_lib/dal/teaching";
import { Header, pageLocale } from "@/_lib/instructor/page-kit";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const t = await getTranslations({ locale: await pageLocale(params), namespace: "admin" });
  return { title: t("title"), robots: { index: false } };
}

/** Admins give accounts their role (learners sign up; instructors are promoted here or by the CLI) and drain runners. */
export default async function AdminPage({ params }: { params: Promise<{ locale: string }> }) {
  const locale = await pageLocale(params);
  const t = await getTranslations({ locale, namespace: "admin" });
  const me = await getMyAccount();
  if (me?.role !== "admin") forbidden();
  const accounts = await getAccounts();
  const registry = fleet();
  await registry.refresh();
  const runners: RunnerRow[] = registry.list().map((v) => ({
    name: v.name,
    url: v.url,
    healthy: v.healthy,
    draining: v.draining,
    sandboxes: v.sandboxes,
    capacity: v.capacity >= Number.MAX_SAFE_INTEGER ? null : v.capacity,
    ...(v.error ? { error: v.error } : {}),
  }));
  return (
    <>
      <Header locale={locale} path="/admin" />
      <main id="content" className="page">
        <h1>{t("title")}</h1>
        <p className="muted">{t("intro")}</p>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t("email")}</th>
              <th scope="col">{t("name")}</th>
              <th scope="col">{t("created")}</th>
              <th scope="col">{t("role")}</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id}>
                <th scope="row">{a.email}</th>
                <td>{a.name}</td>
                <td>
                  <LocalTime iso={a.createdAt.toISOString()} dateStyle="medium" />
                </td>
                <td>
                  <RoleSelect userId={a.id} role={a.role} label={`${t("role")}: ${a.email}`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <section aria-labelledby="runners-title">
          <h2 id="runners-title">{t("runnersTitle")}</h2>
          <p className="muted">{t("runnersIntro")}</p>
          <RunnersTable runners={runners} />
        </section>
      </main>
    </>
  );
}
