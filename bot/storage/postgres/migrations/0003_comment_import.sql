-- PostgreSQL twin of bot/storage/migrations/0003_comment_import.sql: the same columns in the same order,
-- INTEGER as BIGINT (identity for the primary keys), times as ISO-8601 TEXT.
--
-- Comments imported from a thread keep where they came from: the site, the comment's own
-- address (the key that keeps a re-import from adding it twice), the site's score, when it
-- was posted, its parent, and whether its detected language is only a guess.

ALTER TABLE comments ADD COLUMN source_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE comments ADD COLUMN permalink TEXT;
ALTER TABLE comments ADD COLUMN source_score BIGINT;
ALTER TABLE comments ADD COLUMN posted_at TEXT;
ALTER TABLE comments ADD COLUMN parent TEXT;
ALTER TABLE comments ADD COLUMN language_uncertain BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX comments_permalink ON comments (article_id, permalink) WHERE permalink IS NOT NULL;
