-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 0019: the case-study library (domain/library/library.h).
--
-- A case is a workflow item of the process "library" (its id is the case's
-- stable id) with numbered versions. A version holds the structured facts
-- as one JSON object (period, areas, SDGs, groups, partners, ...: checked
-- by the domain, only read whole) and one text row per language. The public
-- sees the version lib_cases.published points at; the version being edited
-- is the highest. lib_facets and the six lib_fts_<lang> indexes hold the
-- published versions only, so drafts can never reach a search, a count, a
-- feed or an export.

-- The vocabularies: the twelve areas of the Key Features of Learning Cities
-- and the seventeen Sustainable Development Goals, named in English and French.
CREATE TABLE lib_vocab (
	kind TEXT NOT NULL CHECK (kind IN ('area', 'sdg')),
	code TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
	name TEXT NOT NULL CHECK (json_valid(name) AND json_type(name, '$.en') = 'text'
		AND json_type(name, '$.fr') = 'text'),
	position INTEGER NOT NULL,
	PRIMARY KEY (kind, code)
) STRICT;

INSERT INTO lib_vocab (kind, code, name, position) VALUES
	('area', 'cohesion', '{"en":"Individual empowerment and social cohesion","fr":"Autonomisation des individus et cohésion sociale"}', 1),
	('area', 'prosperity', '{"en":"Economic development and cultural prosperity","fr":"Développement économique et prospérité culturelle"}', 2),
	('area', 'sustainability', '{"en":"Sustainable development","fr":"Développement durable"}', 3),
	('area', 'education', '{"en":"Inclusive learning in the education system","fr":"Apprentissage inclusif dans le système éducatif"}', 4),
	('area', 'community', '{"en":"Revitalized learning in families and communities","fr":"Apprentissage revitalisé dans les familles et les communautés"}', 5),
	('area', 'workplace', '{"en":"Effective learning for and in the workplace","fr":"Apprentissage efficace pour le travail et sur le lieu de travail"}', 6),
	('area', 'technology', '{"en":"Extended use of modern learning technologies","fr":"Usage accru des technologies modernes d''apprentissage"}', 7),
	('area', 'quality', '{"en":"Enhanced quality in learning","fr":"Meilleure qualité de l''apprentissage"}', 8),
	('area', 'culture', '{"en":"A vibrant culture of learning throughout life","fr":"Une culture dynamique de l''apprentissage tout au long de la vie"}', 9),
	('area', 'will', '{"en":"Strong political will and commitment","fr":"Une volonté et un engagement politiques forts"}', 10),
	('area', 'governance', '{"en":"Governance and participation of all stakeholders","fr":"Gouvernance et participation de toutes les parties prenantes"}', 11),
	('area', 'resources', '{"en":"Mobilization and utilization of resources","fr":"Mobilisation et utilisation des ressources"}', 12),
	('sdg', '1', '{"en":"No poverty","fr":"Pas de pauvreté"}', 1),
	('sdg', '2', '{"en":"Zero hunger","fr":"Faim « zéro »"}', 2),
	('sdg', '3', '{"en":"Good health and well-being","fr":"Bonne santé et bien-être"}', 3),
	('sdg', '4', '{"en":"Quality education","fr":"Éducation de qualité"}', 4),
	('sdg', '5', '{"en":"Gender equality","fr":"Égalité entre les sexes"}', 5),
	('sdg', '6', '{"en":"Clean water and sanitation","fr":"Eau propre et assainissement"}', 6),
	('sdg', '7', '{"en":"Affordable and clean energy","fr":"Énergie propre et d''un coût abordable"}', 7),
	('sdg', '8', '{"en":"Decent work and economic growth","fr":"Travail décent et croissance économique"}', 8),
	('sdg', '9', '{"en":"Industry, innovation and infrastructure","fr":"Industrie, innovation et infrastructure"}', 9),
	('sdg', '10', '{"en":"Reduced inequalities","fr":"Inégalités réduites"}', 10),
	('sdg', '11', '{"en":"Sustainable cities and communities","fr":"Villes et communautés durables"}', 11),
	('sdg', '12', '{"en":"Responsible consumption and production","fr":"Consommation et production responsables"}', 12),
	('sdg', '13', '{"en":"Climate action","fr":"Mesures relatives à la lutte contre les changements climatiques"}', 13),
	('sdg', '14', '{"en":"Life below water","fr":"Vie aquatique"}', 14),
	('sdg', '15', '{"en":"Life on land","fr":"Vie terrestre"}', 15),
	('sdg', '16', '{"en":"Peace, justice and strong institutions","fr":"Paix, justice et institutions efficaces"}', 16),
	('sdg', '17', '{"en":"Partnerships for the goals","fr":"Partenariats pour la réalisation des objectifs"}', 17);

-- One row per case; id is its wf_items id. published: the version the
-- public sees (NULL until the first publication); withdrawn_*: the
-- tombstone, kept for citations.
CREATE TABLE lib_cases (
	id INTEGER PRIMARY KEY REFERENCES wf_items (id),
	city_id INTEGER NOT NULL REFERENCES cities (id),
	created_at INTEGER NOT NULL,
	featured INTEGER NOT NULL DEFAULT 0 CHECK (featured IN (0, 1)),
	published INTEGER CHECK (published IS NULL OR published >= 1),
	published_at INTEGER,
	withdrawn_at INTEGER,
	withdrawn_reason TEXT,
	CHECK ((withdrawn_at IS NULL) = (withdrawn_reason IS NULL))
) STRICT;
CREATE INDEX lib_cases_city ON lib_cases (city_id);

CREATE TABLE lib_versions (
	case_id INTEGER NOT NULL REFERENCES lib_cases (id) ON DELETE CASCADE,
	n INTEGER NOT NULL CHECK (n >= 1),
	original TEXT NOT NULL CHECK (original IN ('ar', 'zh', 'en', 'fr', 'ru', 'es')),
	meta TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta) AND json_type(meta) = 'object'),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	published_at INTEGER,
	PRIMARY KEY (case_id, n)
) STRICT;

CREATE TABLE lib_texts (
	case_id INTEGER NOT NULL,
	n INTEGER NOT NULL,
	lang TEXT NOT NULL CHECK (lang IN ('ar', 'zh', 'en', 'fr', 'ru', 'es')),
	title TEXT NOT NULL CHECK (length(title) >= 1),
	summary TEXT, context TEXT, objectives TEXT, activities TEXT, outcomes TEXT,
	challenges TEXT, lessons TEXT, sustainability TEXT, transferability TEXT, keywords TEXT,
	PRIMARY KEY (case_id, n, lang),
	FOREIGN KEY (case_id, n) REFERENCES lib_versions (case_id, n) ON DELETE CASCADE
) STRICT;

-- The published version's facet values (region, country, area, sdg, group,
-- period as a decade "2010s", lang), one row each: the search's facet counts.
CREATE TABLE lib_facets (
	case_id INTEGER NOT NULL REFERENCES lib_cases (id) ON DELETE CASCADE,
	facet TEXT NOT NULL CHECK (facet IN ('region', 'country', 'area', 'sdg', 'group',
		'period', 'lang')),
	value TEXT NOT NULL,
	PRIMARY KEY (facet, value, case_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX lib_facets_case ON lib_facets (case_id);

-- The full-text indexes of the published versions, one per language so
-- that each is stemmed in its language (db/fts_tokenizer.h); rowid is the
-- case id. body joins context .. transferability.
CREATE VIRTUAL TABLE lib_fts_ar USING fts5(title, summary, keywords, body, tokenize='lc ar');
CREATE VIRTUAL TABLE lib_fts_zh USING fts5(title, summary, keywords, body, tokenize='lc zh');
CREATE VIRTUAL TABLE lib_fts_en USING fts5(title, summary, keywords, body, tokenize='lc en');
CREATE VIRTUAL TABLE lib_fts_fr USING fts5(title, summary, keywords, body, tokenize='lc fr');
CREATE VIRTUAL TABLE lib_fts_ru USING fts5(title, summary, keywords, body, tokenize='lc ru');
CREATE VIRTUAL TABLE lib_fts_es USING fts5(title, summary, keywords, body, tokenize='lc es');
