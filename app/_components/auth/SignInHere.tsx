"use client";

import { usePathname } from "next/navigation";

/** A sign-in button that brings the visitor back to the page they were refused (forbidden.tsx has no props). */
export default function SignInHere({ href, label }: { href: string; label: string }) {
  const path = usePathname();
  return (
    <a className="btn btn--primary" href={path ? `${href}?next=${encodeURIComponent(path)}` : href}>
      {label}
    </a>
  );
}
