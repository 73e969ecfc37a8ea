-- Throwaway generator of a synthetic partnership for measuring the deadline dashboard and
-- the strategic report (docs/query-plans-deadlines.md). All data is synthetic.
-- psql "$DB" -v children=20000 -f query-plans-deadlines.generate.sql  (after `concord migrate`)
-- social care ("csc") leads every child; "edu1" is a partner on half, police on a third.
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO agencies (id, code, name, kind, active, version, created_at, updated_at)
SELECT gen_random_uuid(), code, 'Synthetic ' || code, kind, true, 1, now(), now()
FROM (VALUES ('csc','CHILDRENS_SOCIAL_CARE'), ('police','POLICE'), ('edu1','EDUCATION')) v(code, kind);
INSERT INTO agencies (id, code, name, kind, active, version, created_at, updated_at)
SELECT gen_random_uuid(), 'a' || g, 'Synthetic a' || g,
  (ARRAY['YOUTH_JUSTICE','EDUCATION','EDUCATIONAL_PSYCHOLOGY','HEALTH','CAMHS','SECURE_ESTATE','EARLY_HELP','SPECIALIST_HSB_SERVICE','OTHER'])[1 + g % 9],
  true, 1, now(), now()
FROM generate_series(1, 37) g;

CREATE TEMP TABLE kid AS
SELECT g AS n, gen_random_uuid() AS id FROM generate_series(1, :children) g;
INSERT INTO children (id, given_name, family_name, date_of_birth, gender, match_key, send, looked_after, status, version, created_at, updated_at)
SELECT id, 'Given' || n, 'Family' || n, date '2008-06-01' + (n * 37 % 4400), 'Not recorded', 'k' || n, false, false, 'OPEN', 1, now(), now()
FROM kid;

INSERT INTO involvements (id, child_id, agency_id, role, started_on, version, created_at, updated_at)
SELECT gen_random_uuid(), k.id, (SELECT id FROM agencies WHERE code = 'csc'), 'LEAD', date '2025-01-01', 1, now(), now() FROM kid k;
INSERT INTO involvements (id, child_id, agency_id, role, started_on, version, created_at, updated_at)
SELECT gen_random_uuid(), k.id, (SELECT id FROM agencies WHERE code = 'edu1'), 'PARTNER', date '2025-01-01', 1, now(), now() FROM kid k WHERE k.n % 2 = 0;
INSERT INTO involvements (id, child_id, agency_id, role, started_on, version, created_at, updated_at)
SELECT gen_random_uuid(), k.id, (SELECT id FROM agencies WHERE code = 'police'), 'PARTNER', date '2025-01-01', 1, now(), now() FROM kid k WHERE k.n % 3 = 0;
INSERT INTO involvements (id, child_id, agency_id, role, started_on, version, created_at, updated_at)
SELECT gen_random_uuid(), k.id, (SELECT id FROM agencies WHERE code = 'a' || (1 + k.n % 37)), 'PARTNER', date '2025-01-01', 1, now(), now() FROM kid k;

-- Ten chronology entries per child over 2025-01-01 .. 2026-11-20.
INSERT INTO chronology_entries (id, child_id, kind, occurred_at, agency_id, recorded_by, summary, sensitivity, shared_with, version, created_at, updated_at)
SELECT gen_random_uuid(), k.id,
  (ARRAY['REFERRAL','REFERRAL','REFERRAL_DECISION','ASSESSMENT_COMPLETED','DISCLOSURE','OUTCOME','STRATEGY_DISCUSSION','INITIAL_CP_CONFERENCE','NOTE','NOTE'])[1 + (k.n * 7 + i * 3) % 10],
  timestamptz '2025-01-01' + ((k.n * 131 + i * 6301) % 690) * interval '1 day' + (i * 37 % 24) * interval '1 hour',
  (SELECT id FROM agencies WHERE code = 'csc'), 'generator', 'Synthetic.', 'STANDARD', '[]', 1, now(), now()
FROM kid k, generate_series(1, 10) i;

-- Three behaviours per child, a sixth of them escalated.
INSERT INTO behaviours (id, child_id, agency_id, recorded_by, occurred_on, disclosed_at, setting, contact_type, description, continuum, traffic_light, suggested_traffic_light, indicators, escalated, sensitivity, shared_with, version, created_at, updated_at)
SELECT gen_random_uuid(), k.id, (SELECT id FROM agencies WHERE code = 'csc'), 'generator',
  date '2025-01-01' + ((k.n * 17 + i * 211) % 680),
  timestamptz '2025-01-02' + ((k.n * 17 + i * 211) % 680) * interval '1 day',
  (ARRAY['HOME','SCHOOL','COMMUNITY','ONLINE'])[1 + (k.n + i) % 4], 'NON_CONTACT', 'Synthetic.', 'NORMAL',
  (ARRAY['GREEN','AMBER','RED'])[1 + (k.n + i) % 3], 'GREEN', '[]', (k.n + i) % 6 = 0, 'STANDARD', '[]', 1, now(), now()
FROM kid k, generate_series(1, 3) i;

-- Plans for the first 40% of children: active from 2025, a third closed in 2026, two reviews.
CREATE TEMP TABLE pl AS
SELECT gen_random_uuid() AS id, k.id AS child_id, k.n,
  timestamptz '2025-01-15' + (k.n % 300) * interval '1 day' AS activated_at,
  CASE WHEN k.n % 3 = 0 THEN timestamptz '2026-01-10' + (k.n % 300) * interval '1 day' END AS closed_at
FROM kid k WHERE k.n <= :children * 2 / 5;
INSERT INTO joint_plans (id, child_id, title, status, pathway, lead_agency_id, next_review_due, activated_at, closed_at, version, created_at, updated_at)
SELECT id, child_id, 'Synthetic plan', CASE WHEN closed_at IS NULL THEN 'ACTIVE' ELSE 'CLOSED' END,
  (ARRAY['CHILD_PROTECTION','CRIMINAL_JUSTICE','BOTH','CHILD_IN_NEED'])[1 + n % 4],
  (SELECT id FROM agencies WHERE code = 'csc'), NULL, activated_at, closed_at, 1, now(), now()
FROM pl;
INSERT INTO plan_reviews (id, plan_id, held_on, attending_agencies, summary, next_review_due, recorded_by, version, created_at, updated_at)
SELECT gen_random_uuid(), id, (activated_at + (i * 85 + n % 20) * interval '1 day')::date, '[]', 'Synthetic.', NULL, 'generator', 1, now(), now()
FROM pl, generate_series(1, 2) i;
COMMIT;
ANALYZE;
