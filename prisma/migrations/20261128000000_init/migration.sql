-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL DEFAULT 'guest',
    "role" TEXT NOT NULL DEFAULT 'learner',
    "email" TEXT,
    "name" TEXT,
    "emailVerified" BOOLEAN NOT NULL DEFAULT false,
    "image" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedById" TEXT,
    "claimedAt" DATETIME,
    CONSTRAINT "User_claimedById_fkey" FOREIGN KEY ("claimedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LessonVisit" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "firstVisitedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastVisitedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "visits" INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT "LessonVisit_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ExerciseAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "exerciseId" TEXT NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "message" TEXT NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "trigger" TEXT NOT NULL,
    "sandboxSessionId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ExerciseAttempt_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ExerciseAttempt_sandboxSessionId_fkey" FOREIGN KEY ("sandboxSessionId") REFERENCES "SandboxSession" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "HintOpened" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "exerciseId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "HintOpened_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SolutionOpened" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "exerciseId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SolutionOpened_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "QuizAnswer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "lessonId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "choice" TEXT NOT NULL,
    "correct" BOOLEAN NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "QuizAnswer_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SandboxSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "sandboxId" TEXT NOT NULL,
    "lessonId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" DATETIME,
    "endReason" TEXT,
    CONSTRAINT "SandboxSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TerminalRecording" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sandboxSessionId" TEXT NOT NULL,
    "terminalId" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "bytes" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" DATETIME,
    CONSTRAINT "TerminalRecording_sandboxSessionId_fkey" FOREIGN KEY ("sandboxSessionId") REFERENCES "SandboxSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "User_role_idx" ON "User"("role");

-- CreateIndex
CREATE INDEX "LessonVisit_userId_lastVisitedAt_idx" ON "LessonVisit"("userId", "lastVisitedAt");

-- CreateIndex
CREATE UNIQUE INDEX "LessonVisit_userId_lessonId_key" ON "LessonVisit"("userId", "lessonId");

-- CreateIndex
CREATE INDEX "ExerciseAttempt_userId_lessonId_exerciseId_idx" ON "ExerciseAttempt"("userId", "lessonId", "exerciseId");

-- CreateIndex
CREATE INDEX "ExerciseAttempt_lessonId_exerciseId_passed_idx" ON "ExerciseAttempt"("lessonId", "exerciseId", "passed");

-- CreateIndex
CREATE INDEX "ExerciseAttempt_userId_createdAt_idx" ON "ExerciseAttempt"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "HintOpened_lessonId_exerciseId_idx" ON "HintOpened"("lessonId", "exerciseId");

-- CreateIndex
CREATE UNIQUE INDEX "HintOpened_userId_exerciseId_index_key" ON "HintOpened"("userId", "exerciseId", "index");

-- CreateIndex
CREATE INDEX "SolutionOpened_lessonId_exerciseId_idx" ON "SolutionOpened"("lessonId", "exerciseId");

-- CreateIndex
CREATE UNIQUE INDEX "SolutionOpened_userId_exerciseId_key" ON "SolutionOpened"("userId", "exerciseId");

-- CreateIndex
CREATE INDEX "QuizAnswer_userId_lessonId_questionId_idx" ON "QuizAnswer"("userId", "lessonId", "questionId");

-- CreateIndex
CREATE INDEX "QuizAnswer_lessonId_questionId_idx" ON "QuizAnswer"("lessonId", "questionId");

-- CreateIndex
CREATE UNIQUE INDEX "SandboxSession_sandboxId_key" ON "SandboxSession"("sandboxId");

-- CreateIndex
CREATE INDEX "SandboxSession_userId_createdAt_idx" ON "SandboxSession"("userId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "TerminalRecording_sandboxSessionId_terminalId_key" ON "TerminalRecording"("sandboxSessionId", "terminalId");

