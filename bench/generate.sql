-- A large, realistic dataset for the benchmarks, generated inside
-- PostgreSQL (psql -v trajectories=100000 -f bench/generate.sql) on a
-- database that `wisselaar migrate` has just created: ~300 municipalities
-- in the five Flemish provinces with synthetic NIS codes, 20 years of
-- calls, 12 themes, 3 mentors per municipality, and :trajectories
-- trajectories between random municipalities, each with 1 to 3 themes, 1
-- or 2 mentors of the giving municipality and, for four in five, a grant.
-- Deterministic (setseed), so two runs compare the same data.
\set ON_ERROR_STOP on
SELECT setseed(0.42);
BEGIN;
TRUNCATE municipalities, calls, themes, mentors, trajectories, trajectory_themes, assignments, grants, payments,
  time_entries, salaries, offers, needs, offer_themes, need_themes, offer_mentors, sessions CASCADE;

INSERT INTO municipalities (created_at, updated_at, nis_code, name, province)
SELECT now(), now(),
       (ARRAY['1','7','4','2','3'])[1 + i % 5] || lpad((1000 + i)::text, 4, '0'),
       'Gemeente ' || i,
       (ARRAY['ANTWERPEN','LIMBURG','OOST_VLAANDEREN','VLAAMS_BRABANT','WEST_VLAANDEREN'])[1 + i % 5]
FROM generate_series(1, 300) i;

INSERT INTO calls (created_at, updated_at, name, year, opens_at, closes_at, budget, per_project_cap, compensation_percent)
SELECT make_timestamptz(y - 1, 11, 1, 0, 0, 0, 'UTC'), now(), 'Oproep ' || y, y,
       make_timestamptz(y, 1, 1, 0, 0, 0, 'UTC'), make_timestamptz(y, 3, 1, 0, 0, 0, 'UTC'),
       2000000000, 5000000, 50
FROM generate_series(2007, 2026) y;

INSERT INTO themes (created_at, updated_at, code, name, name_en)
SELECT now(), now(), 'THEME_' || i, 'Thema ' || i, 'Theme ' || i FROM generate_series(1, 12) i;

INSERT INTO mentors (created_at, updated_at, name, email, job_title, municipality_id)
SELECT now(), now(), 'Mentor ' || m.id || '-' || k, 'mentor' || k || '@' || m.nis_code || '.example', 'Armoedecoördinator', m.id
FROM municipalities m, generate_series(1, 3) k;

CREATE TEMP TABLE bench_ids AS
SELECT (SELECT array_agg(id ORDER BY id) FROM municipalities) AS muni,
       (SELECT array_agg(id ORDER BY year) FROM calls) AS calls,
       (SELECT array_agg(id ORDER BY id) FROM themes) AS themes;

-- Giving g and receiving r are distinct indexes into the municipalities;
-- c the call; created_at within the call's year.
CREATE TEMP TABLE bench_t AS
SELECT i, g, CASE WHEN r >= g THEN r + 1 ELSE r END AS r, c
FROM (SELECT i, 1 + floor(random() * 300)::int AS g, 1 + floor(random() * 299)::int AS r, 1 + floor(random() * 20)::int AS c
      FROM generate_series(1, :trajectories) i) s;

INSERT INTO trajectories (created_at, updated_at, title, description, form, status, planned_start, planned_end,
                          giving_signed_at, receiving_signed_at, call_id, giving_id, receiving_id)
SELECT ts, ts, 'Uitwisseling ' || t.i, 'Traject ' || t.i || ' rond armoedebeleid en begeleiding',
       (ARRAY['MENTORING','INTERNSHIP'])[1 + t.i % 2],
       (ARRAY['AGREED','RUNNING','COMPLETED','COMPLETED','MATCHED'])[1 + t.i % 5],
       (ts + interval '60 days')::date, (ts + interval '240 days')::date, ts, ts,
       ids.calls[t.c], ids.muni[t.g], ids.muni[t.r]
FROM bench_t t, bench_ids ids,
     LATERAL (SELECT make_timestamptz(2006 + t.c, 3, 1, 0, 0, 0, 'UTC') + (t.i % 250) * interval '1 day' + t.i * interval '1 second' AS ts) x
ORDER BY ts;

INSERT INTO trajectory_themes (trajectory_id, theme_id)
SELECT DISTINCT tr.id, ids.themes[1 + (tr.id * 7 + k * 5) % 12]
FROM trajectories tr, bench_ids ids, LATERAL generate_series(0, tr.id % 3) k;

INSERT INTO assignments (created_at, updated_at, planned_weekly_hours, trajectory_id, mentor_id)
SELECT tr.created_at, tr.created_at, 1900, tr.id, m.id
FROM trajectories tr
JOIN LATERAL (SELECT id FROM mentors WHERE municipality_id = tr.giving_id ORDER BY id LIMIT 1 + tr.id % 2) m ON true;

INSERT INTO grants (created_at, updated_at, status, submitted_at, requested, awarded, settled, paid, call_id, trajectory_id)
SELECT tr.created_at, tr.created_at, s.status, tr.created_at, req,
       CASE WHEN s.status IN ('APPROVED','SETTLED','PAID') THEN req - (tr.id % 7) * 1000 END,
       CASE WHEN s.status IN ('SETTLED','PAID') THEN req - (tr.id % 7) * 1500 END,
       CASE WHEN s.status = 'PAID' THEN req - (tr.id % 7) * 1500 ELSE 0 END,
       tr.call_id, tr.id
FROM trajectories tr,
     LATERAL (SELECT (ARRAY['RESERVED','WAITLISTED','APPROVED','REJECTED','WITHDRAWN','SETTLED','PAID','PAID'])[1 + tr.id % 8] AS status,
                     1500000 + (tr.id * 7919) % 2000000 AS req) s
WHERE tr.id % 5 <> 0;
COMMIT;
ANALYZE;
