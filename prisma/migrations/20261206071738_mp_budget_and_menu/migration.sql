-- CreateTable
CREATE TABLE "MpBudget" (
    "openid" TEXT NOT NULL PRIMARY KEY,
    "windowKind" TEXT NOT NULL,
    "windowStart" DATETIME NOT NULL,
    "windowEnd" DATETIME NOT NULL,
    "allowed" INTEGER NOT NULL,
    "used" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "MpMenu" (
    "openid" TEXT NOT NULL PRIMARY KEY,
    "buttons" TEXT NOT NULL,
    "shownAt" DATETIME NOT NULL
);
