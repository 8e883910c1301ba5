/**
 * The retention rules as SQL over `documents d`, shared by the policy preview (governance) and the sweep that
 * applies them (ingest).
 */
export const TENANT_DEFAULT = '*';

export interface RetentionDefaults {
  maxAgeDays: number;
  deletedGraceDays: number;
}

/**
 * The policy in force for a document: its namespace's, else its tenant's default ('*'), else the system default
 * (parameters $2 and $3, exposed as `p` so every query binds both).
 */
export const EFFECTIVE = `CROSS JOIN (SELECT $2::int AS default_max_age, $3::int AS default_grace) p
                   LEFT JOIN retention_policies pn ON pn.tenant_id = d.tenant_id AND pn.namespace = d.namespace
                   LEFT JOIN retention_policies pt ON pt.tenant_id = d.tenant_id AND pt.namespace = '${TENANT_DEFAULT}'`;
export const EXPIRED = `d.status = 'active' AND NOT d.legal_hold
  AND d.updated_at < now() - make_interval(days => coalesce(pn.max_age_days, pt.max_age_days, p.default_max_age))`;
export const PURGEABLE = `d.status = 'deleted' AND NOT d.legal_hold
  AND d.deleted_at < now() - make_interval(days => coalesce(pn.deleted_grace_days, pt.deleted_grace_days, p.default_grace))`;
