/*
 * Demo data for the TIP report: the reports of recent years with their
 * tiers, paraphrased prioritised recommendations (synthetic, in the style
 * of the report), the committee's measures that answer them, figures that
 * evidence them, and one disputed claim. Runs after the committee's demo
 * data, whose measures it links to.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "cmd/cmd.h"
#include "core/tipreport.h"
#include "store/store.h"
#include "util/err.h"

static const struct {
    int year;
    const char *tier, *published;
} reports[] = {
    {2019, "tier2", "2019-06-20"},       {2020, "tier2", "2020-06-25"},
    {2021, "tier2_watch", "2021-07-01"}, {2022, "tier2_watch", "2022-07-19"},
    {2023, "tier2", "2023-06-15"},       {2024, "tier2", "2024-06-24"},
    {2025, "tier2", "2025-06-26"},       {2026, "tier2", "2026-06-25"},
};

/* Recommendations, each with translations, a measure keyword to link and a
 * figure to evidence it. */
static const struct {
    const char *en, *zh, *pt;
    const char *measure; /* a word in the titles of the measures that answer it */
    const char *label_en, *label_zh, *label_pt, *table, *row, *column;
} recs[] = {
    {"Increase efforts to investigate, prosecute and convict traffickers, including in labour "
     "trafficking cases, and seek adequate penalties.",
     "加大調查、檢控及定罪販運者的力度，包括勞動販運案件，並爭取適當刑罰。",
     "Intensificar os esforços para investigar, acusar e condenar os traficantes, incluindo em "
     "casos de tráfico para exploração laboral, e procurar penas adequadas.",
     "定罪", "Prosecutions", "檢控", "Acusações", "legal", "prosecutions", "total"},
    {"Proactively screen vulnerable populations, including migrant workers and persons in "
     "commercial sex, for trafficking indicators and refer victims to care.",
     "主動甄別弱勢群體（包括外地僱員及從事性交易人士）的販運跡象，並轉介受害人接受照顧。",
     "Fazer a triagem proactiva de populações vulneráveis, incluindo trabalhadores migrantes e "
     "pessoas no comércio sexual, e encaminhar as vítimas para apoio.",
     "識別", "Victims identified", "已識別受害人", "Vítimas identificadas", "victims_by_sex",
     "total", "count"},
    {"Train law enforcement, labour inspectors and judicial officials on victim-centred and "
     "trauma-informed approaches.",
     "為執法人員、勞動監察員及司法人員提供以受害人為本及創傷知情的培訓。",
     "Formar agentes de autoridade, inspectores do trabalho e magistrados em abordagens centradas "
     "na vítima e informadas pelo trauma.",
     "培訓", "Officials trained", "受培訓官員", "Funcionários formados", "activities", "training",
     "officials_trained"},
    {"Amend the law to criminalise all forms of labour trafficking without requiring force, "
     "fraud or coercion where the victim is a child.",
     "修訂法律，將一切形式的勞動販運刑事化；如受害人為兒童，毋須證明使用武力、欺詐或脅迫。",
     "Alterar a lei para criminalizar todas as formas de tráfico laboral sem exigir força, fraude "
     "ou coacção quando a vítima é uma criança.",
     "修訂", "Labour trafficking investigations", "勞動販運調查",
     "Investigações de tráfico laboral", "legal", "investigations", "labour"},
    {"Strengthen oversight of employment agencies and prohibit recruitment fees charged to "
     "workers.",
     "加強監管職業介紹所，並禁止向勞工收取招聘費用。",
     "Reforçar a fiscalização das agências de emprego e proibir a cobrança de taxas de "
     "recrutamento aos trabalhadores.",
     "招聘", "Inspections", "巡查", "Inspecções", "activities", "inspection", "sites"},
};
#define NRECS (sizeof recs / sizeof recs[0])

/* The measures whose title holds word. */
static size_t measures_for(json_t *measures, const char *word, int64_t ids[], size_t max)
{
    size_t n = 0, i;
    json_t *m;
    json_array_foreach(measures, i, m)
    {
        const char *t = json_string_value(json_object_get(m, "title"));
        if (n < max && t && strstr(t, word))
            ids[n++] = json_integer_value(json_object_get(m, "id"));
    }
    return n;
}

int demo_tip_reports(struct store *st, int64_t secretariat, int64_t now)
{
    json_t *measures = NULL;
    int rc = store_measure_list(st, NULL, NULL, &measures);
    if (!rc)
        rc = store_begin(st);
    for (size_t k = 0; !rc && k < sizeof reports / sizeof reports[0]; k++) {
        char from[11], to[11], obj[40];
        tipreport_period(reports[k].year, from, to);
        json_t *f = json_pack("{s:i, s:s, s:s}", "year", reports[k].year, "tier", reports[k].tier,
                              "published_on", reports[k].published);
        int last = k + 1 == sizeof reports / sizeof reports[0];
        if (last) {
            json_object_set_new(f, "notes_en",
                                json_string("The report states that no labour trafficking case "
                                            "was prosecuted in the period; two were, and both "
                                            "led to convictions."));
            json_object_set_new(f, "notes_zh",
                                json_string("報告指報告期內沒有檢控勞動販運案件；實際上有兩宗，"
                                            "兩宗均已定罪。"));
            json_object_set_new(f, "notes_pt",
                                json_string("O relatório afirma que nenhum caso de tráfico laboral "
                                            "foi acusado no período; foram dois, ambos com "
                                            "condenação."));
        }
        int64_t id = 0;
        rc = store_tipreport_add(st, f, from, to, secretariat, now, &id);
        json_decref(f);
        snprintf(obj, sizeof obj, "tip_report:%" PRId64, id);
        if (!rc)
            rc = audit_append(st, secretariat, "demo", "tip_report.create", obj, "");
        /* the recent years have the recommendations, linked and evidenced */
        size_t nrec = reports[k].year >= 2024 ? NRECS : 3;
        for (size_t j = 0; !rc && j < nrec; j++) {
            json_t *r = json_pack("{s:s, s:s, s:s}", "text_en", recs[j].en, "text_zh", recs[j].zh,
                                  "text_pt", recs[j].pt);
            if (last && j == 3) {
                json_object_set_new(r, "assessment", json_string("disputed"));
                json_object_set_new(r, "position_en",
                                    json_string("Macao's law already punishes the trafficking of "
                                                "children without proof of force or deception "
                                                "(Penal Code, article 153-A)."));
                json_object_set_new(r, "position_zh",
                                    json_string("澳門法律已懲處販賣兒童行為，毋須證明使用武力或"
                                                "欺騙（《刑法典》第153-A條）。"));
                json_object_set_new(r, "position_pt",
                                    json_string("A lei de Macau já pune o tráfico de crianças sem "
                                                "prova de força ou engano (Código Penal, artigo "
                                                "153.º-A)."));
            }
            int64_t rid = 0;
            rc = store_recommendation_add(st, id, r, now, &rid);
            json_decref(r);
            int64_t mids[8];
            size_t nm = measures_for(measures, recs[j].measure, mids, 8);
            if (!rc && nm)
                rc = store_recommendation_set_measures(st, rid, mids, nm);
            if (!rc) {
                json_t *fg = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "label_en",
                                       recs[j].label_en, "label_zh", recs[j].label_zh, "label_pt",
                                       recs[j].label_pt, "table", recs[j].table, "row", recs[j].row,
                                       "column", recs[j].column, "period", "tip");
                int64_t fid;
                rc = store_recommendation_figure_add(st, rid, fg, now, &fid);
                json_decref(fg);
            }
        }
    }
    json_decref(measures);
    if (!rc)
        rc = store_commit(st);
    else
        store_rollback(st);
    return rc;
}
