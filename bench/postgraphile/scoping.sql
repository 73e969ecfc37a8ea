-- The caseload's scoping for PostGraphile, in the generated database only (never in
-- Concord's migrations): the children an agency's case teams hold or it holds an unexpired
-- grant for, oldest first. PostGraphile exposes it as `benchCaseload(agency:, first:)`.
-- Nested relations (plans) are not narrowed to the agency's memberships: PostGraphile does
-- a little less than Concord here, and writes no audit rows.
CREATE OR REPLACE FUNCTION bench_caseload(agency uuid) RETURNS SETOF children
LANGUAGE sql STABLE AS $$
  SELECT c.* FROM children c
  WHERE EXISTS (SELECT 1 FROM involvements i
                WHERE i.child_id = c.id AND i.agency_id = agency AND i.ended_on IS NULL)
     OR EXISTS (SELECT 1 FROM access_grants g
                WHERE g.child_id = c.id AND g.agency_id = agency AND g.expires_at > now())
  ORDER BY c.id
$$;
