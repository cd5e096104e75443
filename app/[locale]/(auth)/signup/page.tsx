import { AuthPage, authMetadata } from "@/_lib/auth/auth-page";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<{ next?: string }> };

export const generateMetadata = (p: Props) => authMetadata("signup", p);

export default function Page(p: Props) {
  return <AuthPage mode="signup" {...p} />;
}
