-- The whole workflow: articles, their sources, comments, votes, translations, approvals,
-- the audit history, what was published where, and the front ends' message references.

CREATE TABLE counters (
    space TEXT NOT NULL,
    kind TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (space, kind)
);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    space TEXT NOT NULL,
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    lead TEXT NOT NULL DEFAULT '',
    closing TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('collecting', 'translating', 'review', 'approved', 'published')),
    min_score INTEGER NOT NULL,
    max_reactions INTEGER NOT NULL,
    target_language TEXT NOT NULL,
    edit_seq INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    published_at TEXT,
    UNIQUE (space, number)
);

CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    url TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    handle TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    UNIQUE (article_id, position)
);

CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    space TEXT NOT NULL,
    number INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT '',
    persona TEXT NOT NULL,
    countries TEXT NOT NULL DEFAULT '',
    submitted_by TEXT NOT NULL,
    submitted_by_name TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'candidate' CHECK (status IN ('candidate', 'selected', 'dropped')),
    override TEXT CHECK (override IN ('pick', 'drop')),
    position INTEGER,
    up INTEGER NOT NULL DEFAULT 0,
    down INTEGER NOT NULL DEFAULT 0,
    assignee_id TEXT,
    assignee_name TEXT,
    UNIQUE (space, number)
);
CREATE INDEX comments_by_article ON comments (article_id, status);

CREATE TABLE votes (
    comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    value INTEGER NOT NULL CHECK (value IN (-1, 1)),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (comment_id, user_id)
) WITHOUT ROWID;

CREATE TABLE translations (
    id INTEGER PRIMARY KEY,
    comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    text TEXT NOT NULL,
    translator_id TEXT NOT NULL,
    translator_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (comment_id, revision)
);

CREATE TABLE approvals (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    moderator_id TEXT NOT NULL,
    moderator_name TEXT NOT NULL,
    edit_seq INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    PRIMARY KEY (article_id, moderator_id, edit_seq)
);

CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);
CREATE INDEX history_by_article ON history (article_id, id);

CREATE TABLE published_parts (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    channel TEXT NOT NULL,
    message_id TEXT NOT NULL,
    PRIMARY KEY (article_id, idx)
);

-- Where a front end posted something it must find again after a restart (a comment's card,
-- a draft's review post): keyed by what it shows, holding the platform's channel and message.
CREATE TABLE message_refs (
    space TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    channel TEXT NOT NULL,
    message_id TEXT NOT NULL,
    PRIMARY KEY (space, kind, key)
);
