-- The runner holding each sandbox (several runners: the app sends every later call there).
ALTER TABLE "SandboxSession" ADD COLUMN "runner" TEXT;
