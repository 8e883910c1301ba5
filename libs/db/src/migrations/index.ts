import { InitialSchema1763900000000 } from './1763900000000-initial-schema';

/** Every migration, oldest first. A new migration is added here and nowhere else. */
export const MIGRATIONS = [InitialSchema1763900000000];
