-- PostgreSQL twin of bot/storage/migrations/0002_publish_targets.sql (blog targets): each
-- article's reaction style, and per article and target where it was published.

ALTER TABLE articles ADD COLUMN style TEXT NOT NULL DEFAULT '';

CREATE TABLE publications (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    target TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'failed', 'gone')),
    remote_id TEXT NOT NULL DEFAULT '',
    edit_uri TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    style TEXT NOT NULL DEFAULT '',
    revision BIGINT NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (article_id, target)
);
