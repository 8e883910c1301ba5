import { DataSource } from 'typeorm';

export class DatabaseHealthRepository {
  constructor(private readonly ds: DataSource) {}

  async ping(): Promise<void> {
    await this.ds.query('SELECT 1');
  }

  /** Installed pgvector version, or null when the extension is missing. */
  async pgvectorVersion(): Promise<string | null> {
    const rows: Array<{ extversion: string }> = await this.ds.query(`SELECT extversion FROM pg_extension WHERE extname = 'vector'`);
    return rows[0]?.extversion ?? null;
  }
}
