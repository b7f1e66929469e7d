/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The demonstration conference's programme (programme.h, lc_prog_demo):
 * three days, six rooms, about forty sessions, speakers whose names are
 * written in several scripts, and two releases with changes between them
 * (a session moved to another room and time, one cancelled, one renamed,
 * one added). Made through the same domain functions as the editor.
 */
#include "domain/conference/programme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/error.h"
#include "db/db.h"
#include "domain/accounts/authz.h"
#include "domain/conference/event.h"

static const char *const rooms[][4] = {
    /* en, fr, capacity, floor */
    {"Plenary hall", "Salle plénière", "1200", "0"},
    {"Room A", "Salle A", "300", "1"},
    {"Room B", "Salle B", "200", "1"},
    {"Room C", "Salle C", "120", "2"},
    {"Room D", "Salle D", "60", "2"},
    {"Exhibition hall", "Hall d’exposition", "500", "-1"},
};

static const char *const types[][3] = {
    {"plenary", "Plenary", "Plénière"},
    {"mayors-forum", "Mayors’ forum", "Forum des maires"},
    {"forum", "Thematic forum", "Forum thématique"},
    {"parallel", "Parallel session", "Session parallèle"},
    {"award", "Award ceremony", "Cérémonie de remise du prix"},
    {"study-visit", "Study visit", "Visite d’étude"},
    {"exhibition", "Exhibition", "Exposition"},
};

static const char *const tracks[][3] = {
    {"health", "Healthy learning cities", "Villes apprenantes en bonne santé"},
    {"green", "Green learning cities", "Villes apprenantes vertes"},
    {"equity", "Equitable and inclusive learning cities",
     "Villes apprenantes équitables et inclusives"},
    {"work", "Decent work and entrepreneurship", "Travail décent et entrepreneuriat"},
    {"kf-governance", "Key Features: planning and governance",
     "Caractéristiques clés : planification et gouvernance"},
    {"kf-monitoring", "Key Features: monitoring and evaluation",
     "Caractéristiques clés : suivi et évaluation"},
};

/* Latin name, own script, title, organisation, city. */
static const char *const speakers[][5] = {
    {"Layla Haddad", "ليلى حداد", "Mayor", "City of Aqaba", "Aqaba"},
    {"Wang Fang", "王芳", "Director of Education", "Hangzhou Municipal Government", "Hangzhou"},
    {"Ivan Petrov", "Иван Петров", "Deputy Mayor", "City of Yakutsk", "Yakutsk"},
    {"Kim Min-jun", "김민준", "Director, Lifelong Learning", "Suwon City", "Suwon"},
    {"Sato Hanako", "佐藤 花子", "Professor", "Okayama University", "Okayama"},
    {"Eleni Papadopoulou", "Ελένη Παπαδοπούλου", "Vice-Mayor", "City of Larissa", "Larissa"},
    {"Anita Sharma", "अनिता शर्मा", "Commissioner", "Municipal Corporation", "Nilambur"},
    {"Somchai Jaidee", "สมชาย ใจดี", "Head of Learning", "Chiang Mai Municipality", "Chiang Mai"},
    {"Abebe Kebede", "አበበ ከበደ", "Mayor", "Bahir Dar City Administration", "Bahir Dar"},
    {"María José Gómez", "", "Secretary of Education", "Alcaldía de Medellín", "Medellín"},
    {"Amélie Durand", "", "Deputy Mayor", "Ville de Clermont-Ferrand", "Clermont-Ferrand"},
    {"Siobhán Ní Bhriain", "", "Coordinator", "Cork Learning City", "Cork"},
    {"Olusegun Adeyemi", "", "Director", "Lagos State Ministry of Education", "Lagos"},
    {"Nguyễn Thị Lan", "", "Deputy Director", "Hanoi Department of Education", "Hanoi"},
    {"Yusuf Demir", "", "Researcher", "Istanbul University", "Istanbul"},
    {"Dana Cohen", "דנה כהן", "Programme Manager", "Learning City Network", "Haifa"},
};

/* Day (0..2), start, minutes, room (1..6), type, track ("" none), title en, title fr. */
struct demo_session {
	int day;
	const char *start;
	int minutes;
	int room;
	const char *type, *track, *en, *fr;
};

static const struct demo_session sessions[] = {
    {0, "09:00", 90, 1, "plenary", "", "Opening plenary", "Séance plénière d’ouverture"},
    {0, "09:00", 540, 6, "exhibition", "", "Learning cities exhibition",
     "Exposition des villes apprenantes"},
    {0, "11:00", 90, 1, "mayors-forum", "kf-governance", "Mayors’ forum: learning for all ages",
     "Forum des maires : apprendre à tout âge"},
    {0, "11:00", 90, 2, "forum", "health", "Health literacy in the city",
     "La littératie en santé dans la ville"},
    {0, "11:00", 90, 3, "forum", "green", "Climate action through learning",
     "Agir pour le climat par l’apprentissage"},
    {0, "11:00", 90, 4, "forum", "equity", "Learning with migrants and refugees",
     "Apprendre avec les migrants et les réfugiés"},
    {0, "14:00", 75, 2, "parallel", "work", "Skills for green jobs",
     "Des compétences pour les emplois verts"},
    {0, "14:00", 75, 3, "parallel", "kf-monitoring", "Measuring a learning city",
     "Mesurer une ville apprenante"},
    {0, "14:00", 75, 4, "parallel", "equity", "Libraries as learning hubs",
     "Les bibliothèques, pôles d’apprentissage"},
    {0, "14:00", 75, 5, "parallel", "health", "Active ageing and learning",
     "Vieillir en apprenant"},
    {0, "16:00", 75, 2, "parallel", "green", "Urban gardens and schools",
     "Jardins urbains et écoles"},
    {0, "16:00", 75, 3, "parallel", "work", "Entrepreneurship for young people",
     "L’entrepreneuriat des jeunes"},
    {0, "16:00", 75, 4, "parallel", "kf-governance", "Partnerships across city departments",
     "Partenariats entre services municipaux"},
    {0, "16:00", 75, 5, "parallel", "equity", "Digital inclusion", "L’inclusion numérique"},
    {1, "09:00", 90, 1, "plenary", "kf-governance", "Plenary: cities in a changing world",
     "Plénière : les villes dans un monde qui change"},
    {1, "09:00", 540, 6, "exhibition", "", "Learning cities exhibition (day 2)",
     "Exposition des villes apprenantes (jour 2)"},
    {1, "11:00", 90, 2, "forum", "work", "Regional forum: Africa", "Forum régional : Afrique"},
    {1, "11:00", 90, 3, "forum", "equity", "Regional forum: Arab States",
     "Forum régional : États arabes"},
    {1, "11:00", 90, 4, "forum", "green", "Regional forum: Asia and the Pacific",
     "Forum régional : Asie et Pacifique"},
    {1, "11:00", 90, 5, "forum", "health", "Regional forum: Europe and North America",
     "Forum régional : Europe et Amérique du Nord"},
    {1, "14:00", 75, 2, "parallel", "kf-monitoring", "Data for local learning policy",
     "Des données pour la politique locale d’apprentissage"},
    {1, "14:00", 75, 3, "parallel", "green", "Learning neighbourhoods", "Quartiers apprenants"},
    {1, "14:00", 75, 4, "parallel", "work", "Adult literacy at work",
     "L’alphabétisation des adultes au travail"},
    {1, "14:00", 75, 5, "parallel", "health", "Mental health and community learning",
     "Santé mentale et apprentissage communautaire"},
    {1, "16:00", 75, 2, "parallel", "equity", "Gender equality in learning cities",
     "L’égalité des genres dans les villes apprenantes"},
    {1, "16:00", 75, 3, "parallel", "kf-governance", "Financing lifelong learning",
     "Financer l’apprentissage tout au long de la vie"},
    {1, "16:00", 75, 4, "parallel", "green", "Learning festivals", "Les fêtes de l’apprentissage"},
    {1, "16:00", 75, 5, "parallel", "work", "Universities and their cities",
     "Les universités et leurs villes"},
    {1, "19:00", 120, 1, "award", "", "UNESCO Learning City Award ceremony",
     "Cérémonie du Prix UNESCO des villes apprenantes"},
    {2, "08:30", 240, 0, "study-visit", "green", "Study visit: a school garden network",
     "Visite d’étude : un réseau de jardins scolaires"},
    {2, "08:30", 240, 0, "study-visit", "equity", "Study visit: a community learning centre",
     "Visite d’étude : un centre d’apprentissage communautaire"},
    {2, "08:30", 240, 0, "study-visit", "work", "Study visit: a vocational training campus",
     "Visite d’étude : un campus de formation professionnelle"},
    {2, "09:00", 300, 6, "exhibition", "", "Learning cities exhibition (day 3)",
     "Exposition des villes apprenantes (jour 3)"},
    {2, "13:30", 75, 2, "parallel", "kf-monitoring", "Peer review between learning cities",
     "L’examen par les pairs entre villes apprenantes"},
    {2, "13:30", 75, 3, "parallel", "health", "Learning for well-being",
     "Apprendre pour le bien-être"},
    {2, "13:30", 75, 4, "parallel", "equity", "Indigenous knowledge in the city",
     "Les savoirs autochtones dans la ville"},
    {2, "13:30", 75, 5, "parallel", "green", "Circular economy and learning",
     "Économie circulaire et apprentissage"},
    {2, "15:15", 60, 1, "plenary", "", "Closing plenary and declaration",
     "Plénière de clôture et déclaration"},
    {2, "16:30", 45, 2, "parallel", "kf-governance", "Joining the network: a briefing",
     "Rejoindre le réseau : une présentation"},
};

/* Adds a day to an ISO date (the conference runs over three consecutive days). */
static void day_of(const char *start_date, int day, char out[11])
{
	int y = 0, m = 0, d = 0;
	if (sscanf(start_date, "%4d-%2d-%2d", &y, &m, &d) != 3)
		y = 2027, m = 1, d = 1;
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	for (int k = 0; k < day; k++) {
		int len = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
		if (++d > len) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	char buf[40];
	snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
	memcpy(out, buf, 10);
	out[10] = '\0';
}

static json_t *tr2(const char *en, const char *fr)
{
	return json_pack("{s:s, s:s}", "en", en, "fr", fr);
}

static int put_all(struct lc_db *db, const struct lc_actor *sys, const struct lc_conf_event *e,
                   int64_t *room_ids, int64_t *speaker_ids, int64_t *session_ids)
{
	int err = 0;
	struct lc_diag d;
	lc_diag_init(&d);
	for (size_t i = 0; i < 6 && !err; i++) {
		json_t *spec = json_pack(
		    "{s:o, s:i, s:b, s:s}", "name", tr2(rooms[i][0], rooms[i][1]), "capacity",
		    (int)strtol(rooms[i][2], NULL, 10), "accessible", i != 4, "floor", rooms[i][3]);
		err = lc_prog_room_put(db, sys, e, 0, spec, &d, &room_ids[i]);
		json_decref(spec);
	}
	for (size_t i = 0; i < sizeof types / sizeof *types && !err; i++) {
		json_t *spec = json_pack("{s:s, s:o}", "code", types[i][0], "name",
		                         tr2(types[i][1], types[i][2]));
		err = lc_prog_label_put(db, sys, e, "type", 0, spec, &d, NULL);
		json_decref(spec);
	}
	for (size_t i = 0; i < sizeof tracks / sizeof *tracks && !err; i++) {
		json_t *spec = json_pack("{s:s, s:o}", "code", tracks[i][0], "name",
		                         tr2(tracks[i][1], tracks[i][2]));
		err = lc_prog_label_put(db, sys, e, "track", 0, spec, &d, NULL);
		json_decref(spec);
	}
	const size_t nsp = sizeof speakers / sizeof *speakers;
	for (size_t i = 0; i < nsp && !err; i++) {
		char bio_en[300], bio_fr[300];
		snprintf(bio_en, sizeof bio_en, "%s, %s, %s.", speakers[i][2], speakers[i][3],
		         speakers[i][4]);
		snprintf(bio_fr, sizeof bio_fr, "%s (%s), %s.", speakers[i][3], speakers[i][4],
		         speakers[i][2]);
		json_t *spec = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "name", speakers[i][0],
		                         "name_native", speakers[i][1], "title", speakers[i][2],
		                         "organisation", speakers[i][3], "city", speakers[i][4],
		                         "bio", tr2(bio_en, bio_fr));
		err = lc_prog_speaker_put(db, sys, e, 0, spec, &d, &speaker_ids[i]);
		json_decref(spec);
	}
	for (size_t i = 0; i < sizeof sessions / sizeof *sessions && !err; i++) {
		const struct demo_session *s = &sessions[i];
		char day[11], start[17];
		day_of(e->start_date, s->day, day);
		snprintf(start, sizeof start, "%sT%s", day, s->start);
		json_t *sp = json_array();
		json_t *chair = json_null();
		if (strcmp(s->type, "exhibition") != 0 && strcmp(s->type, "study-visit") != 0) {
			json_decref(chair);
			/* Three people per session, disjoint between sessions that run at once. */
			chair = json_integer(speaker_ids[(3 * i) % nsp]);
			json_array_append_new(sp, json_integer(speaker_ids[(3 * i + 1) % nsp]));
			json_array_append_new(sp, json_integer(speaker_ids[(3 * i + 2) % nsp]));
		}
		json_t *langs =
		    strcmp(s->type, "parallel") == 0
		        ? json_pack("[s, s]", "en", "fr")
		        : json_pack("[s, s, s, s, s, s]", "en", "fr", "ar", "zh", "ru", "es");
		char abs_en[400], abs_fr[400];
		snprintf(abs_en, sizeof abs_en,
		         "%s: cities share what they tried, what worked and what did not.", s->en);
		snprintf(
		    abs_fr, sizeof abs_fr,
		    "%s : des villes partagent ce qu’elles ont essayé, ce qui a marché et ce qui"
		    " n’a pas marché.",
		    s->fr);
		json_t *spec = json_pack("{s:o, s:o, s:s, s:s, s:i, s:o, s:o, s:o}", "title",
		                         tr2(s->en, s->fr), "abstract", tr2(abs_en, abs_fr), "type",
		                         s->type, "start", start, "duration", s->minutes,
		                         "languages", langs, "chair", chair, "speakers", sp);
		if (*s->track)
			json_object_set_new(spec, "track", json_string(s->track));
		if (s->room)
			json_object_set_new(spec, "room", json_integer(room_ids[s->room - 1]));
		/* Study visits take sign-ups: a coach's worth of places each. */
		if (strcmp(s->type, "study-visit") == 0)
			json_object_set_new(spec, "capacity", json_integer(30));
		err = lc_prog_session_put(db, sys, e, 0, spec, &d, &session_ids[i]);
		json_decref(spec);
	}
	lc_diag_cleanup(&d);
	return err;
}

int lc_prog_demo(struct lc_db *db)
{
	struct lc_conf_event e;
	int err = lc_conf_event_load(db, LC_CONF_EVENT_DEMO_SLUG, &e);
	if (err)
		return err == LC_ENOTFOUND ? 0 : err;
	json_t *rel = NULL;
	err = lc_prog_released(db, &e, NULL, &rel);
	json_decref(rel);
	if (err != LC_ENOTFOUND) { /* already there */
		lc_conf_event_cleanup(&e);
		return err;
	}
	struct lc_actor sys;
	lc_actor_system(&sys);
	int64_t room_ids[6] = {0}, speaker_ids[sizeof speakers / sizeof *speakers] = {0};
	int64_t session_ids[sizeof sessions / sizeof *sessions] = {0};
	struct lc_diag d;
	lc_diag_init(&d);
	err = put_all(db, &sys, &e, room_ids, speaker_ids, session_ids);
	if (!err)
		err = lc_prog_release(db, &sys, &e, "v1", "First programme.", &d);
	/* Between the releases: "Digital inclusion" moves from the first day to Room B on the
	 * third day at 16:30, "Learning festivals" is cancelled, "Learning neighbourhoods"
	 * gets a clearer title, and a new session joins day 3. */
	char day[11], start[17];
	if (!err) {
		day_of(e.start_date, 2, day);
		snprintf(start, sizeof start, "%sT16:30", day);
		json_t *spec =
		    json_pack("{s:s, s:I}", "start", start, "room", (json_int_t)room_ids[2]);
		err = lc_prog_session_put(db, &sys, &e, session_ids[13], spec, &d, NULL);
		json_decref(spec);
	}
	if (!err) {
		json_t *spec = json_pack("{s:b}", "cancelled", 1);
		err = lc_prog_session_put(db, &sys, &e, session_ids[26], spec, &d, NULL);
		json_decref(spec);
	}
	if (!err) {
		json_t *spec = json_pack("{s:o}", "title",
		                         tr2("Learning neighbourhoods: the city block as a school",
		                             "Quartiers apprenants : l’îlot comme école"));
		err = lc_prog_session_put(db, &sys, &e, session_ids[21], spec, &d, NULL);
		json_decref(spec);
	}
	if (!err) {
		day_of(e.start_date, 2, day);
		snprintf(start, sizeof start, "%sT16:30", day);
		json_t *spec =
		    json_pack("{s:o, s:s, s:s, s:s, s:i, s:I, s:[s, s], s:[I]}", "title",
		              tr2("Young people’s voices in learning cities",
		                  "La parole des jeunes dans les villes apprenantes"),
		              "type", "parallel", "track", "equity", "start", start, "duration", 45,
		              "room", (json_int_t)room_ids[3], "languages", "en", "fr", "speakers",
		              (json_int_t)speaker_ids[11]);
		err = lc_prog_session_put(db, &sys, &e, 0, spec, &d, NULL);
		json_decref(spec);
	}
	if (!err)
		err = lc_prog_release(db, &sys, &e, "v2",
		                      "One session moved, one cancelled, one renamed, one added.",
		                      &d);
	lc_diag_cleanup(&d);
	lc_conf_event_cleanup(&e);
	return err;
}
