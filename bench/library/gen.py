#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# Writes a library of N case studies in the export format of
# `learncity library export` (README.md, "Command line"), for bench/library.
# The text is made of real words of each language drawn at random: lengths
# like a real case study (a summary of 100-250 words, the main sections of
# 80-250, the others shorter or absent), the original in any of the six
# languages, up to two translations; cases spread over the database's cities,
# the twelve areas, the seventeen SDGs and 2000-2025. Nine in ten are
# published, the rest drafts. Deterministic for a seed.
#
# Usage: gen.py DB N OUT [SEED]   (DB: a learncity database, for its city slugs)
import json
import random
import sqlite3
import sys

WORDS = {
    "en": """learning city community adult literacy library workshop family school youth
    women migrant volunteer teacher training digital skills health garden festival museum
    partnership council neighbourhood citizen education lifelong program network centre
    reading writing numeracy employment career mentor evaluation outcome participation
    culture heritage sustainable climate water energy transport park river market
    elderly children parents university college apprenticeship online course platform
    inclusion poverty equality dialogue peace mobility housing innovation enterprise""",
    "fr": """ville apprenante communauté adulte alphabétisation bibliothèque atelier famille
    école jeunesse femmes migrants bénévole enseignant formation numérique compétences santé
    jardin festival musée partenariat conseil quartier citoyen éducation programme réseau
    centre lecture écriture emploi carrière tuteur évaluation résultats participation culture
    patrimoine durable climat eau énergie transport parc rivière marché aînés enfants parents
    université apprentissage cours plateforme inclusion pauvreté égalité dialogue paix
    mobilité logement innovation entreprise élèves médiathèque""",
    "es": """ciudad aprendizaje comunidad adultos alfabetización biblioteca taller familia
    escuela juventud mujeres migrantes voluntario docente formación digital competencias salud
    huerto festival museo alianza consejo barrio ciudadanía educación programa red centro
    lectura escritura empleo carrera mentor evaluación resultados participación cultura
    patrimonio sostenible clima agua energía transporte parque río mercado mayores niños
    padres universidad curso plataforma inclusión pobreza igualdad diálogo paz movilidad
    vivienda innovación empresa""",
    "ru": """город обучение сообщество взрослые грамотность библиотека мастерская семья школа
    молодёжь женщины мигранты волонтёр учитель подготовка цифровой навыки здоровье сад
    фестиваль музей партнёрство совет район граждане образование программа сеть центр
    чтение письмо занятость карьера наставник оценка результаты участие культура наследие
    устойчивый климат вода энергия транспорт парк река рынок пожилые дети родители
    университет курс платформа инклюзия бедность равенство диалог мир жильё инновации""",
    "ar": """مدينة التعلم مجتمع الكبار محو الأمية مكتبة ورشة الأسرة مدرسة الشباب النساء
    المهاجرون متطوع معلم تدريب رقمي مهارات الصحة حديقة مهرجان متحف شراكة مجلس الحي
    المواطن التعليم برنامج شبكة مركز القراءة الكتابة العمل مرشد تقييم نتائج المشاركة
    الثقافة التراث مستدام المناخ الماء الطاقة النقل الحديقة النهر السوق المسنون الأطفال
    الآباء الجامعة دورة منصة الإدماج الفقر المساواة الحوار السلام السكن الابتكار
    وَرْشَة المَدِينَة التَّعَلُّم""",
    "zh": """学习型城市 社区 成人 扫盲 图书馆 工作坊 家庭 学校 青年 妇女 移民 志愿者 教师 培训
    数字 技能 健康 花园 节日 博物馆 伙伴关系 议会 街道 公民 教育 终身学习 项目 网络 中心
    阅读 写作 就业 职业 导师 评估 成果 参与 文化 遗产 可持续 气候 水 能源 交通 公园 河流
    市场 老年人 儿童 父母 大学 课程 平台 包容 贫困 平等 对话 和平 住房 创新 企业""",
}
for k in WORDS:
    WORDS[k] = WORDS[k].split()

LANGS = ["ar", "zh", "en", "fr", "ru", "es"]
AREAS = ["cohesion", "prosperity", "sustainability", "education", "community", "workplace",
         "technology", "quality", "culture", "will", "governance", "resources"]
GROUPS = ["children", "youth", "adults", "older_people", "women", "migrants", "refugees",
          "disabled", "unemployed", "low_literacy", "families", "teachers", "workers", "rural"]
SETTINGS = ["formal", "non_formal", "informal", "workplace", "family", "community", "online",
            "library", "museum", "public_space"]


def text(rng, lang, lo, hi):
    n = rng.randint(lo, hi)
    w = WORDS[lang]
    if lang == "zh":  # written without spaces; a sentence mark every dozen words
        return "".join(rng.choice(w) + ("。" if i % 12 == 11 else "") for i in range(n))
    out = []
    for i in range(n):
        word = rng.choice(w)
        out.append(word.capitalize() if i % 14 == 0 and lang not in ("ar",) else word)
        if i % 14 == 13:
            out[-1] += "."
    return " ".join(out) + "."


def translation(rng, lang, full):
    t = {
        "title": text(rng, lang, 4, 10).rstrip("."),
        # A Chinese word is about two characters and counts as one: 300 of them at most.
        "summary": text(rng, lang, 100, 160 if lang == "zh" else 250),
        "keywords": ", ".join(rng.sample(WORDS[lang], 5)),
    }
    if full:
        for s in ("context", "objectives", "activities", "outcomes"):
            t[s] = text(rng, lang, 80, 250)
        for s in ("challenges", "lessons", "sustainability", "transferability"):
            if rng.random() < 0.6:
                t[s] = text(rng, lang, 30, 120)
    return t


def iso(t):
    import time
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def main():
    db, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    rng = random.Random(seed)
    cities = [r[0] for r in sqlite3.connect(db).execute("SELECT slug FROM cities ORDER BY slug")]
    if not cities:
        sys.exit("gen.py: the database has no cities (use `learncity demo`)")
    t0 = 1577836800  # 2020-01-01
    with open(out, "w", encoding="utf-8") as f:
        f.write('{"format": "learncity-library", "version": 1, "cases": [\n')
        for i in range(n):
            orig = rng.choice(LANGS)
            langs = [orig] + rng.sample([l for l in LANGS if l != orig], rng.choice([0, 0, 1, 1, 2]))
            areas = rng.sample(AREAS, rng.randint(1, 3))
            sdgs = [str(s) for s in rng.sample(range(1, 18), rng.randint(1, 3))]
            start = rng.randint(2000, 2024)
            meta = {
                "period": {"start": start, "end": rng.choice([None, min(2025, start + rng.randint(0, 8))])},
                "areas": areas, "primary_area": areas[0],
                "sdgs": sdgs, "primary_sdg": sdgs[0],
                "target_groups": rng.sample(GROUPS, rng.randint(1, 3)),
                "settings": rng.sample(SETTINGS, rng.randint(1, 2)),
                "reached": {"number": rng.randint(50, 50000), "year": min(2025, start + 1)},
                "licence": "CC-BY-4.0",
            }
            published = rng.random() < 0.9
            created = t0 + rng.randint(0, 5 * 365 * 86400)
            pub_at = iso(created + 86400 * rng.randint(1, 60)) if published else None
            case = {
                "city": rng.choice(cities),
                "state": "published" if published else "draft",
                "created_at": iso(created),
                "featured": published and rng.random() < 0.02,
                "published": 1 if published else None,
                "published_at": pub_at,
                "withdrawn": None,
                "versions": [{
                    "n": 1, "original": orig, "created_at": iso(created),
                    "updated_at": iso(created + 3600), "published_at": pub_at, "meta": meta,
                    "translations": {l: translation(rng, l, l == orig or rng.random() < 0.5)
                                     for l in langs},
                }],
            }
            f.write(json.dumps(case, ensure_ascii=False))
            f.write(",\n" if i + 1 < n else "\n")
        f.write("]}\n")


main()
