import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { evictionPolicyProblem } from './redis-connections';

const url = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('evictionPolicyProblem (real Redis)', () => {
  const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const user = `dftest-noconfig-${randomBytes(4).toString('hex')}`;
  const password = randomBytes(16).toString('hex');

  beforeAll(async () => {
    await admin.connect();
    // What managed Redis does: CONFIG denied by ACL for the application's user.
    await admin.call('ACL', 'SETUSER', user, 'on', `>${password}`, '~*', '&*', '+@all', '-config');
  });
  afterAll(async () => {
    await admin.call('ACL', 'DELUSER', user);
    admin.disconnect();
  });

  it('cannot check, and does not fail, when CONFIG is denied (managed Redis)', async () => {
    const restricted = new Redis(url, { username: user, password, maxRetriesPerRequest: 1 });
    try {
      await expect(restricted.call('CONFIG', 'GET', 'maxmemory-policy')).rejects.toThrow(/NOPERM/);
      expect(await evictionPolicyProblem(restricted)).toBeNull();
    } finally {
      restricted.disconnect();
    }
  });
});
