-- CreateIndex
CREATE INDEX "OutboxAttempt_outboxId_idx" ON "OutboxAttempt"("outboxId");
