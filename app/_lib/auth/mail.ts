import nodemailer from "nodemailer";

/**
 * Password-reset e-mails through the school's SMTP server (SMTP_URL), when there is one. The text is
 * in both languages: an account has no language of its own, and the link works in either.
 */
export interface ResetMail {
  user: { email: string; name?: string | null };
  url: string;
}

export function resetMailText(m: ResetMail): { subject: string; text: string } {
  const hello = m.user.name ? `${m.user.name},` : "";
  return {
    subject: "Redefinir sua senha / Reset your password — Aprendendo Docker",
    text: [
      hello,
      "Para escolher uma nova senha, abra este link (vale por 1 hora e uma só vez):",
      m.url,
      "Se não foi você que pediu, ignore esta mensagem: sua senha continua a mesma.",
      "",
      "To choose a new password, open the link above (it works once, for 1 hour).",
      "If you did not ask for it, ignore this message: your password stays the same.",
    ]
      .filter((l, i) => i > 0 || l)
      .join("\n"),
  };
}

/** A sender for better-auth's reset flow; errors propagate so the failure is logged, not hidden. */
export function smtpResetSender(smtpUrl: string, from?: string): (m: ResetMail) => Promise<void> {
  const transport = nodemailer.createTransport(smtpUrl);
  const sender = from ?? `no-reply@${new URL(smtpUrl).hostname}`;
  return async (m) => {
    const { subject, text } = resetMailText(m);
    await transport.sendMail({ from: sender, to: m.user.email, subject, text });
  };
}
