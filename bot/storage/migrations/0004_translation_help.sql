-- Translation help: machine drafts as revisions of their own kind, the team glossary, review
-- remarks on one comment's translation, and glossary warnings a translator dismissed.

-- human: typed by a person; machine: a provider's draft, not yet reviewed; accepted: a
-- machine draft a person took as it is; restored: an older revision made the latest again.
ALTER TABLE translations ADD COLUMN kind TEXT NOT NULL DEFAULT 'human'
    CHECK (kind IN ('human', 'machine', 'accepted', 'restored'));
ALTER TABLE translations ADD COLUMN provider TEXT NOT NULL DEFAULT '';
ALTER TABLE translations ADD COLUMN model TEXT NOT NULL DEFAULT '';
ALTER TABLE translations ADD COLUMN source_revision INTEGER;

-- One entry per source term and space; term_key is the term case-folded.
CREATE TABLE glossary (
    space TEXT NOT NULL,
    term_key TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    added_by TEXT NOT NULL,
    added_by_name TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (space, term_key)
);

-- A remark is about one revision: it is open until resolved or until a newer revision exists.
CREATE TABLE remarks (
    id INTEGER PRIMARY KEY,
    comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    text TEXT NOT NULL,
    author_id TEXT NOT NULL,
    author_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    resolved_by_name TEXT,
    resolved_at TEXT
);
CREATE INDEX remarks_by_comment ON remarks (comment_id, id);

CREATE TABLE glossary_dismissals (
    comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    term_key TEXT NOT NULL,
    dismissed_by TEXT NOT NULL,
    dismissed_by_name TEXT NOT NULL,
    dismissed_at TEXT NOT NULL,
    PRIMARY KEY (comment_id, term_key)
);
