import { createNavigation } from "next-intl/navigation";
import { routing } from "./routing";

// Locale-aware Link/redirect/getPathname that know the localized pathnames.
export const { Link, redirect, usePathname, useRouter, getPathname } = createNavigation(routing);
