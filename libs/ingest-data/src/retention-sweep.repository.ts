import { TenantId } from '@datafactory/contracts';
import { EFFECTIVE, EXPIRED, PURGEABLE, RetentionDefaults } from '@datafactory/db';
import { DataSource } from 'typeorm';

export interface RetentionCandidates {
  expired: string[];
  softDeleted: string[];
}

/** What the retention sweep removes next, by the policies governance keeps (read only). */
export class RetentionSweepRepository {
  constructor(private readonly ds: DataSource) {}

  /** Up to `limit` documents of each kind the next sweep removes (expired; soft-deleted past their grace). */
  async candidates(tenantId: TenantId, defaults: RetentionDefaults, limit: number): Promise<RetentionCandidates> {
    const pick = async (predicate: string) =>
      (
        (await this.ds.query(`SELECT d.id FROM documents d ${EFFECTIVE} WHERE d.tenant_id = $1 AND ${predicate} ORDER BY d.id LIMIT $4`, [
          tenantId,
          defaults.maxAgeDays,
          defaults.deletedGraceDays,
          limit,
        ])) as Array<{ id: string }>
      ).map((r) => String(r.id));
    return { expired: await pick(EXPIRED), softDeleted: await pick(PURGEABLE) };
  }
}
