-- The parts of a release's database that are not a table of the bundle:
-- the full-text index and the views, each described in _metadata. Run
-- after the tables are filled. Nothing here may need SQLite newer than
-- 3.40 (Debian 12's sqlite3): FTS5's trigram tokenizer is from 3.34.
--
-- The tables keep the CSV files' values, where an active record's status
-- is empty (NULL); the views spell it out, so that status = 'active'
-- selects the current records.

-- search finds words in titles, names, summaries and descriptions in both
-- languages. The trigram tokenizer matches any run of three or more
-- characters, so it finds Japanese words, which are not separated by
-- spaces (防衛省), as well as English ones, ignoring case.
CREATE VIRTUAL TABLE search USING fts5(
  kind UNINDEXED,
  id UNINDEXED,
  title_en,
  title_ja,
  summary_en,
  summary_ja,
  tokenize = 'trigram'
);
INSERT INTO search (kind, id, title_en, title_ja, summary_en, summary_ja)
  SELECT 'events', id, title_en, title_ja, summary_en, summary_ja FROM events ORDER BY id;
INSERT INTO search (kind, id, title_en, title_ja, summary_en, summary_ja)
  SELECT 'actors', id, name_en, name_ja, description_en, description_ja FROM actors ORDER BY id;
INSERT INTO search (kind, id, title_en, title_ja, summary_en, summary_ja)
  SELECT 'programs', id, name_en, name_ja, summary_en, summary_ja FROM programs ORDER BY id;
INSERT INTO search (kind, id, title_en, title_ja)
  SELECT 'budgets', id, title_en, title_ja FROM budgets ORDER BY id;
-- A source has one title, in its own language.
INSERT INTO search (kind, id, title_en, title_ja)
  SELECT 'sources', id,
    CASE WHEN language = 'ja' THEN NULL ELSE title END,
    CASE WHEN language = 'ja' THEN title END
  FROM sources ORDER BY id;

CREATE VIEW events_with_actors AS
SELECT e.id AS event_id, e.occurred, e.type, e.title_en, e.title_ja,
       ea.role, a.id AS actor_id, a.kind AS actor_kind,
       a.name_en AS actor_name_en, a.name_ja AS actor_name_ja, a.country AS actor_country,
       e.confidence, COALESCE(e.status, 'active') AS status
FROM events e
JOIN event_actors ea ON ea.event_id = e.id
JOIN actors a ON a.id = ea.actor_id;

CREATE VIEW events_with_sources AS
SELECT e.id AS event_id, e.occurred, e.title_en, e.title_ja,
       s.id AS source_id, es.locator, s.title AS source_title, s.publisher,
       s.published, s.language, s.url, e.confidence, COALESCE(e.status, 'active') AS status
FROM events e
JOIN event_sources es ON es.event_id = e.id
JOIN sources s ON s.id = es.source_id;

CREATE VIEW budgets_with_names AS
SELECT b.id, b.fiscal_year, b.fiscal_year_to, b.stage, b.category,
       b.title_en, b.title_ja, b.amount_jpy, b.amount_qualifier, b.amount_usd, b.part_of,
       b.agency, ag.name_en AS agency_name_en, ag.name_ja AS agency_name_ja,
       b.program, p.name_en AS program_name_en, p.name_ja AS program_name_ja,
       b.confidence, COALESCE(b.status, 'active') AS status
FROM budgets b
LEFT JOIN actors ag ON ag.id = b.agency
LEFT JOIN programs p ON p.id = b.program;

CREATE VIEW programs_with_metrics AS
SELECT p.id AS program_id, p.name_en, p.name_ja, p.kind AS program_kind, p.state,
       m.name AS metric, m.value, m.unit, m.kind AS metric_kind, m.qualifier,
       m.as_of, m.fiscal_year, m.note, COALESCE(p.status, 'active') AS status
FROM programs p
JOIN program_metrics m ON m.program_id = p.id;

CREATE VIEW actors_with_roles AS
SELECT a.id AS actor_id, a.name_en, a.name_ja, r.title AS role_title,
       r.organization, o.name_en AS organization_name_en, o.name_ja AS organization_name_ja,
       r."from" AS role_from, r."to" AS role_to, COALESCE(a.status, 'active') AS status
FROM actors a
JOIN actor_roles r ON r.actor_id = a.id
LEFT JOIN actors o ON o.id = r.organization;

INSERT INTO _metadata (table_name, column_name, kind, title, description) VALUES
  ('search', '', 'full-text index', 'Full-text search',
   'Titles, names, summaries and descriptions of every record in English and Japanese, for MATCH queries (FTS5, trigram tokenizer: any three or more characters, in either language, ignoring case). kind is the table the record is in and id its id; title_en and title_ja hold an event''s, budget line''s or source''s title or an actor''s or program''s name, summary_en and summary_ja an event''s or program''s summary or an actor''s description. A source''s title is under its own language.'),
  ('events_with_actors', '', 'view', 'Events with their actors',
   'One row per event and actor: the event''s date, type and title with the actor''s role, kind, names and country (joins events, event_actors and actors).'),
  ('events_with_sources', '', 'view', 'Events with their sources',
   'One row per citation of an event: the event''s date and title with the source''s title, publisher, date, language and URL and where in it the claim is made (joins events, event_sources and sources).'),
  ('budgets_with_names', '', 'view', 'Budget lines with names',
   'Budget lines with the names of their agency and program (joins budgets, actors and programs); status is active or withdrawn. Never add amounts of different stages, and leave out lines that are part_of another when summing.'),
  ('programs_with_metrics', '', 'view', 'Programs with their metrics',
   'One row per metric of a program: the program''s names, kind and state with the metric''s name, value, unit, kind and date (joins programs and program_metrics).'),
  ('actors_with_roles', '', 'view', 'Actors with their positions',
   'One row per position an actor held, with the name of the organization (joins actors and actor_roles); role_from and role_to are the dates of the position.');
