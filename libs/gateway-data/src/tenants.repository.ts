import { DataSource, Repository } from 'typeorm';
import { TenantEntity } from '@datafactory/db';

/** Tenants are the root of isolation; only the admin surface creates or reads them by id. */
export class TenantsRepository {
  private readonly repo: Repository<TenantEntity>;

  constructor(ds: DataSource) {
    this.repo = ds.getRepository(TenantEntity);
  }

  async create(name: string): Promise<TenantEntity> {
    return this.repo.save(this.repo.create({ name }));
  }

  async findById(id: string): Promise<TenantEntity | null> {
    return this.repo.findOneBy({ id });
  }
}
