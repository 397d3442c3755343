-- sitreps schema, version 2 (2 adds merged events). Offsets (start, "end") index into articles.text.
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER, applied_at TIMESTAMP);

CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY,          -- sha256 of the normalised text
    url VARCHAR, source VARCHAR, title VARCHAR, lede VARCHAR, published DATE,
    text VARCHAR NOT NULL, language VARCHAR, origin VARCHAR,
    ingested_at TIMESTAMP, processed_at TIMESTAMP
);

CREATE TABLE IF NOT EXISTS article_duplicates (
    id VARCHAR PRIMARY KEY, duplicate_of VARCHAR NOT NULL, similarity DOUBLE,
    url VARCHAR, title VARCHAR, published DATE, origin VARCHAR, ingested_at TIMESTAMP
);

CREATE SEQUENCE IF NOT EXISTS ingest_error_ids;
CREATE TABLE IF NOT EXISTS ingest_errors (
    id BIGINT DEFAULT nextval('ingest_error_ids') PRIMARY KEY,
    origin VARCHAR, item VARCHAR, reason VARCHAR NOT NULL, recorded_at TIMESTAMP
);

CREATE TABLE IF NOT EXISTS mentions (
    article_id VARCHAR, sentence_index INTEGER, start INTEGER, "end" INTEGER, text VARCHAR,
    label VARCHAR, entity_id VARCHAR, stage VARCHAR
);

CREATE TABLE IF NOT EXISTS actors (
    id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, aliases VARCHAR[], kind VARCHAR,
    country VARCHAR, inter_code INTEGER, backers VARCHAR[], part_of VARCHAR, leader_of VARCHAR,
    is_new BOOLEAN
);

CREATE TABLE IF NOT EXISTS places (
    id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, country VARCHAR, admin1 VARCHAR,
    admin2 VARCHAR, latitude DOUBLE, longitude DOUBLE, feature_class VARCHAR,
    population BIGINT, geo_precision INTEGER
);

CREATE TABLE IF NOT EXISTS events (
    id VARCHAR PRIMARY KEY, article_id VARCHAR NOT NULL, event_type VARCHAR,
    sub_event_type VARCHAR, plover_type VARCHAR, trigger VARCHAR, event_date DATE,
    time_precision INTEGER, actor1 VARCHAR, actor2 VARCHAR, assoc_actor_1 VARCHAR,
    assoc_actor_2 VARCHAR, place_id VARCHAR, geo_precision INTEGER, fatalities_low INTEGER,
    fatalities_high INTEGER, fatalities_as_stated VARCHAR, fatalities_victims VARCHAR,
    modality VARCHAR, confidence DOUBLE, stage VARCHAR
);

CREATE TABLE IF NOT EXISTS event_sources (
    event_id VARCHAR, article_id VARCHAR, sentence VARCHAR, start INTEGER, "end" INTEGER
);

CREATE TABLE IF NOT EXISTS relations (
    subject VARCHAR, predicate VARCHAR, object VARCHAR, date DATE, article_id VARCHAR,
    sentence VARCHAR, start INTEGER, "end" INTEGER, stage VARCHAR
);

CREATE TABLE IF NOT EXISTS control_claims (
    place_id VARCHAR, controller VARCHAR, change VARCHAR, date DATE, article_id VARCHAR,
    sentence VARCHAR, start INTEGER, "end" INTEGER, stage VARCHAR, confidence DOUBLE
);
-- Version 3: a claim's confidence is a column, no longer read back out of its stage label.
ALTER TABLE control_claims ADD COLUMN IF NOT EXISTS confidence DOUBLE;

-- Events as analysts read them: canonical actor names, place fields, ACLED columns. One macro
-- serves article events (event_view) and merged events (merged_event_view), whose table has
-- the same columns plus the merge fields.
CREATE OR REPLACE MACRO named_events(event_rows) AS TABLE
SELECT
    e.* REPLACE (a1.name AS actor1, a2.name AS actor2, aa1.name AS assoc_actor_1,
                 aa2.name AS assoc_actor_2),
    e.actor1 AS actor1_id, e.actor2 AS actor2_id,
    a1.inter_code AS inter1, a2.inter_code AS inter2,
    p.name AS location, p.admin1, p.admin2, p.country, p.latitude, p.longitude
FROM query_table(event_rows) e
LEFT JOIN actors a1 ON a1.id = e.actor1
LEFT JOIN actors a2 ON a2.id = e.actor2
LEFT JOIN actors aa1 ON aa1.id = e.assoc_actor_1
LEFT JOIN actors aa2 ON aa2.id = e.assoc_actor_2
LEFT JOIN places p ON p.id = e.place_id;

CREATE OR REPLACE VIEW event_view AS SELECT * FROM named_events(events);

-- Cross-article merging (sitreps.merge): one row per real-world event, rebuilt for the clusters
-- that new or re-extracted articles touch. A lone event's merged id is its own id.
CREATE TABLE IF NOT EXISTS merged_events (
    id VARCHAR PRIMARY KEY, article_id VARCHAR, event_type VARCHAR, sub_event_type VARCHAR,
    plover_type VARCHAR, trigger VARCHAR, event_date DATE, time_precision INTEGER,
    actor1 VARCHAR, actor2 VARCHAR, assoc_actor_1 VARCHAR, assoc_actor_2 VARCHAR,
    place_id VARCHAR, geo_precision INTEGER, fatalities_low INTEGER, fatalities_high INTEGER,
    fatalities_best INTEGER, fatalities_as_stated VARCHAR, fatalities_victims VARCHAR,
    fatalities_sources VARCHAR,      -- JSON list: every member's own toll, never overwritten
    modality VARCHAR, confidence DOUBLE, source_count INTEGER, member_count INTEGER,
    stage VARCHAR
);

CREATE TABLE IF NOT EXISTS merged_event_members (merged_id VARCHAR, event_id VARCHAR);

-- The same columns as event_view, for merged events, plus the merge fields.
CREATE OR REPLACE VIEW merged_event_view AS SELECT * FROM named_events(merged_events);

-- Every member's sources under the merged id: one row per source sentence.
CREATE OR REPLACE VIEW merged_event_sources AS
SELECT DISTINCT m.merged_id AS event_id, s.article_id, s.sentence, s.start, s."end"
FROM merged_event_members m JOIN event_sources s ON s.event_id = m.event_id;
