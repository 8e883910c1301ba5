/**
 * The Redis channel on which a job's creator tells the outbox relay (in job-orchestrator) to publish now rather
 * than at its next poll. A lost message only delays the job until that poll.
 */
export function outboxKickChannel(prefix: string): string {
  return `${prefix}:outbox:kick`;
}
