-- Blog targets (issue 13): each article's reaction style, and per article and target where it
-- was published (the remote post id, the AtomPub edit URI or the static file's path), so that
-- publishing again updates that post instead of creating a second one.

ALTER TABLE articles ADD COLUMN style TEXT NOT NULL DEFAULT '';

CREATE TABLE publications (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    target TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'failed', 'gone')),
    remote_id TEXT NOT NULL DEFAULT '',
    edit_uri TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    style TEXT NOT NULL DEFAULT '',
    revision INTEGER NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (article_id, target)
);
