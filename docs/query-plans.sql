-- Synthetic partnership for the query plans of docs/query-plans.md (PostgreSQL).
-- 40 agencies, 20,000 children, 48,000 involvements (2,000 ended), 60,000 behaviours,
-- 100,000 chronology entries, 8,000 plans with 20,000 members, 1,000 grants.
-- Agency a00 (CSC) leads 5,000 children; a04 (police) is a partner of 6,000.
-- Run against a database migrated by `concord migrate`. All data is synthetic.
BEGIN;
INSERT INTO agencies (id, code, name, kind, active, version, created_at, updated_at)
SELECT md5('agency' || a)::uuid, 'a' || lpad(a::text, 2, '0'), 'Agency ' || a,
       CASE WHEN a < 4 THEN 'CHILDRENS_SOCIAL_CARE' WHEN a = 4 THEN 'POLICE' ELSE 'OTHER' END,
       true, 1, now(), now()
FROM generate_series(0, 39) a;

INSERT INTO children (id, given_name, family_name, date_of_birth, gender, match_key, send,
                      looked_after, status, version, created_at, updated_at)
SELECT md5('child' || c)::uuid, 'Given' || c, 'Testchild', date '2012-01-01' + (c % 3000),
       'Not recorded', 'testchild|given' || c || '|' || (date '2012-01-01' + (c % 3000)),
       false, false, 'OPEN', 1, now(), now()
FROM generate_series(0, 19999) c;

-- Lead: a00..a03 by c % 4; police partner on c % 10 < 3; one more partner among a05..a39;
-- and an ended involvement of a00 on a further 10%.
INSERT INTO involvements (id, child_id, agency_id, role, started_on, version, created_at, updated_at)
SELECT md5('lead' || c)::uuid, md5('child' || c)::uuid, md5('agency' || (c % 4))::uuid, 'LEAD',
       date '2025-01-01', 1, now(), now()
FROM generate_series(0, 19999) c;
INSERT INTO involvements (id, child_id, agency_id, role, started_on, version, created_at, updated_at)
SELECT md5('police' || c)::uuid, md5('child' || c)::uuid, md5('agency4')::uuid, 'PARTNER',
       date '2025-01-01', 1, now(), now()
FROM generate_series(0, 19999) c WHERE c % 10 < 3;
INSERT INTO involvements (id, child_id, agency_id, role, started_on, version, created_at, updated_at)
SELECT md5('partner' || c)::uuid, md5('child' || c)::uuid, md5('agency' || (5 + c % 35))::uuid,
       'PARTNER', date '2025-01-01', 1, now(), now()
FROM generate_series(0, 19999) c;
INSERT INTO involvements (id, child_id, agency_id, role, started_on, ended_on, version, created_at, updated_at)
SELECT md5('ended' || c)::uuid, md5('child' || c)::uuid, md5('agency0')::uuid, 'PARTNER',
       date '2024-01-01', date '2024-06-01', 1, now(), now()
FROM generate_series(0, 19999) c WHERE c % 10 = 5 AND c % 4 <> 0;

INSERT INTO access_grants (id, child_id, agency_id, subject, reason, expires_at, created_at, updated_at)
SELECT md5('grant' || g)::uuid, md5('child' || (g * 7 % 20000))::uuid,
       md5('agency' || (5 + g % 35))::uuid, 'practitioner-' || (g % 50),
       'Synthetic emergency access reason', now() + ((g % 3) - 1) * interval '1 day', now(), now()
FROM generate_series(0, 999) g;

INSERT INTO behaviours (id, child_id, agency_id, recorded_by, occurred_on, disclosed_at, setting,
                        contact_type, description, continuum, traffic_light,
                        suggested_traffic_light, indicators, escalated, sensitivity, shared_with,
                        version, created_at, updated_at)
SELECT md5('behaviour' || b)::uuid, md5('child' || (b % 20000))::uuid,
       md5('agency' || (b % 4))::uuid, 'seed', date '2026-01-01' + (b % 300),
       timestamptz '2026-01-02' + (b % 300) * interval '1 day', 'SCHOOL', 'NON_CONTACT',
       'Synthetic.', 'INAPPROPRIATE', 'AMBER', 'AMBER', '[]', false,
       CASE WHEN b % 5 = 0 THEN 'RESTRICTED' ELSE 'STANDARD' END, '[]', 1, now(), now()
FROM generate_series(0, 59999) b;

INSERT INTO chronology_entries (id, child_id, kind, occurred_at, agency_id, recorded_by, summary,
                                sensitivity, shared_with, version, created_at, updated_at)
SELECT md5('entry' || e)::uuid, md5('child' || (e % 20000))::uuid, 'NOTE',
       timestamptz '2026-01-01' + (e % 9000) * interval '1 hour', md5('agency' || (e % 40))::uuid,
       'seed', 'Synthetic.', 'STANDARD', '[]', 1, now(), now()
FROM generate_series(0, 99999) e;

-- A plan for 2 children in 5, led by the lead agency; members: the lead, the extra partner,
-- and the police where they are on the team.
INSERT INTO joint_plans (id, child_id, title, status, pathway, lead_agency_id, version, created_at, updated_at)
SELECT md5('plan' || c)::uuid, md5('child' || c)::uuid, 'Plan ' || c, 'ACTIVE', 'CHILD_IN_NEED',
       md5('agency' || (c % 4))::uuid, 1, now(), now()
FROM generate_series(0, 19999) c WHERE c % 5 < 2;
INSERT INTO plan_members (id, plan_id, agency_id, version, created_at, updated_at)
SELECT md5('member-lead' || c)::uuid, md5('plan' || c)::uuid, md5('agency' || (c % 4))::uuid, 1, now(), now()
FROM generate_series(0, 19999) c WHERE c % 5 < 2;
INSERT INTO plan_members (id, plan_id, agency_id, version, created_at, updated_at)
SELECT md5('member-partner' || c)::uuid, md5('plan' || c)::uuid, md5('agency' || (5 + c % 35))::uuid, 1, now(), now()
FROM generate_series(0, 19999) c WHERE c % 5 < 2;
INSERT INTO plan_members (id, plan_id, agency_id, version, created_at, updated_at)
SELECT md5('member-police' || c)::uuid, md5('plan' || c)::uuid, md5('agency4')::uuid, 1, now(), now()
FROM generate_series(0, 19999) c WHERE c % 5 < 2 AND c % 10 < 3;
COMMIT;
ANALYZE;
