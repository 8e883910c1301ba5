import { AuditVerification, ListAuditQuery, ListAuditQuerySchema, ListAuditResponse, TenantId } from '@datafactory/contracts';
import { AuditRepository } from '@datafactory/audit';
import { InternalAuthGuard, TenantOrAdmin, ZodValidationPipe, decodeCursor, keysetPage } from '@datafactory/service-kit';
import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { toAuditEvent } from './audit.mapper';

/** The audit log: tenant keys see their tenant's events, the admin token every event. */
@Controller('v1/audit')
@UseGuards(InternalAuthGuard)
export class AuditController {
  constructor(private readonly audit: AuditRepository) {}

  @Get()
  async list(
    @TenantOrAdmin() tenantId: TenantId | null,
    @Query(new ZodValidationPipe(ListAuditQuerySchema, 'query')) query: ListAuditQuery,
  ): Promise<ListAuditResponse> {
    const after = decodeCursor(query.cursor, ['after']);
    const rows = await this.audit.list(tenantId, {
      limit: query.limit,
      ...(query.action ? { action: query.action } : {}),
      ...(query.since ? { since: query.since } : {}),
      ...(after ? { afterSeq: Number(after.after) } : {}),
    });
    const { page, nextCursor } = keysetPage(rows, query.limit, (last) => ({ after: String(last.seq) }));
    return { items: page.map(toAuditEvent), next_cursor: nextCursor };
  }

  /** Recomputes the whole chain. A tenant learns the position of a broken event only when it is its own. */
  @Get('verify')
  async verify(@TenantOrAdmin() tenantId: TenantId | null): Promise<AuditVerification> {
    const result = await this.audit.verify();
    const disclose = result.firstBadSeq !== null && (tenantId === null || result.firstBadTenantId === tenantId);
    return { valid: result.valid, checked: result.checked, ...(disclose ? { first_bad_id: result.firstBadSeq as number } : {}) };
  }
}
