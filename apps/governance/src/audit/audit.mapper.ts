import { AuditAction, AuditEvent } from '@datafactory/contracts';
import { AuditEventRow } from '@datafactory/audit';

export function toAuditEvent(e: AuditEventRow): AuditEvent {
  return {
    id: e.seq,
    tenant_id: e.tenantId,
    actor: e.actor,
    action: e.action as AuditAction,
    target: e.target,
    request_id: e.requestId,
    trace_id: e.traceId,
    details: e.details as AuditEvent['details'],
    created_at: e.createdAt,
    hash: e.hash,
  };
}
