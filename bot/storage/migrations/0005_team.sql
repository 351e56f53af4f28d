-- Running a team week after week: schedules that survive restarts, translator roles granted
-- from chat, undeliverable-DM notices sent once, hidden voting and deadlines on articles.

-- How votes show while voting is open ('hidden': only the count, until voting closes), when
-- voting closes by itself, and when translations are due.
ALTER TABLE articles ADD COLUMN voting TEXT NOT NULL DEFAULT 'open' CHECK (voting IN ('open', 'hidden'));
ALTER TABLE articles ADD COLUMN closes_at TEXT;
ALTER TABLE articles ADD COLUMN deadline_at TEXT;

-- Since when, and given by whom, the current holder holds a comment's translation.
ALTER TABLE comments ADD COLUMN assigned_at TEXT;
ALTER TABLE comments ADD COLUMN assigned_by TEXT;

-- Things that must happen at a time, stored rather than kept as in-memory timers. A schedule
-- fires once: whoever sets fired_at (UPDATE … WHERE fired_at IS NULL) in the transaction that
-- carries out its effect has fired it. `key` names what it is about ('article:3',
-- 'comment:17', 'digest'); at most one unfired schedule per (space, kind, key).
CREATE TABLE schedules (
    id INTEGER PRIMARY KEY,
    space TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('close', 'deadline', 'reminder', 'digest')),
    key TEXT NOT NULL,
    article_id INTEGER REFERENCES articles (id) ON DELETE CASCADE,
    target TEXT NOT NULL DEFAULT '',
    due_at TEXT NOT NULL,
    fired_at TEXT,
    outcome TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_by_name TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX schedules_pending ON schedules (space, kind, key) WHERE fired_at IS NULL;
CREATE INDEX schedules_due ON schedules (due_at) WHERE fired_at IS NULL;

-- Roles granted from chat, on top of the config's (which stay the floor).
CREATE TABLE team_roles (
    space TEXT NOT NULL,
    user_id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('translator')),
    granted_by TEXT NOT NULL,
    granted_by_name TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (space, user_id, role)
);

-- Every grant and revocation, kept after the grant itself is gone.
CREATE TABLE team_audit (
    id INTEGER PRIMARY KEY,
    space TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('add', 'remove')),
    user_id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    role TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX team_audit_by_space ON team_audit (space, id);

-- A DM that could not be delivered was reported to `notified_id` (a moderator, or '' for the
-- review channel): reported once, until a DM to the recipient gets through again.
CREATE TABLE dm_failures (
    space TEXT NOT NULL,
    recipient_id TEXT NOT NULL,
    notified_id TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    PRIMARY KEY (space, recipient_id, notified_id)
);
