-- The runner whose line a learner waits in (every runner was full): kept across app restarts.
CREATE TABLE "QueuePlace" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "runner" TEXT NOT NULL,
    "since" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "QueuePlace_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
