import { DataSource } from 'typeorm';

/** The tenants the orchestrator schedules per-tenant work for (read only; the gateway owns `tenants`). */
export class TenantDirectoryRepository {
  constructor(private readonly ds: DataSource) {}

  async tenantIds(): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.ds.query(`SELECT id FROM tenants ORDER BY id`);
    return rows.map((r) => r.id);
  }
}
