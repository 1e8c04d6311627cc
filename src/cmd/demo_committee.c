/*
 * vigil demo, the committee's part: a plenary meeting in each of the last 24
 * months (minutes approved, but the last, just held) and the next one
 * planned, with attendees, agenda, minutes and decisions; the measures they
 * introduced in every state, a few overdue, with dated progress; and the
 * prevention activities of every month over the ten years of demo data
 * (inspections, trainings, awareness campaigns) with a mild growth trend.
 * The same --seed (and day) gives the same data.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "cmd/cmd.h"
#include "util/err.h"
#include "util/parse.h"
#include "util/timeutil.h"

static uint64_t cm_state;

static uint64_t cm_rnd(void)
{
    uint64_t z = (cm_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* An integer in [lo, hi]. */
static int cm_between(int lo, int hi)
{
    return lo + (int)(cm_rnd() % (uint64_t)(hi - lo + 1));
}

/* Days since 1970 <-> dates. */
static int64_t day_of(const char *d)
{
    int y = 1970, m = 1, dd = 1;
    parse_date(d, &y, &m, &dd);
    return time_days_from_civil(y, m, dd);
}

static void date_of(int64_t day, char out[11])
{
    time_date(day * 86400, out);
}

/* Day d of the month months after the month of date (d at most 28). */
static int64_t month_day(const char *date, int months, int d)
{
    int y = 1970, m = 1;
    parse_date(date, &y, &m, NULL);
    int k = y * 12 + (m - 1) + months;
    return time_days_from_civil(k / 12, k % 12 + 1, d);
}

static const char *const core_orgs[] = {"CMTE", "PJ", "PSP", "DSAL", "IAS", "MP"};
static const char *const other_orgs[] = {"SSM", "TJB", "GSC", "CARITAS"};

static const char *const agenda_fixed[] = {
    "通過上次會議紀錄 / Aprovação da acta da reunião anterior",
    "各成員部門工作匯報 / Relatório dos serviços",
    "本月統計數據審視 / Análise dos dados estatísticos",
    "措施落實情況跟進 / Acompanhamento das medidas",
};
static const char *const agenda_extra[] = {
    "美國《人口販運問題報告》建議的跟進 / Seguimento do relatório TIP",
    "年度宣傳及培訓計劃 / Plano anual de sensibilização e formação",
    "受害人轉介及庇護服務檢討 / Revisão do encaminhamento e acolhimento de vítimas",
    "外地僱員招聘中介監管 / Supervisão das agências de emprego",
    "區域合作及情報交流 / Cooperação regional",
    "網上招聘廣告的監察 / Monitorização de anúncios de emprego em linha",
};
static const char *const decision_texts[] = {
    "通過上次會議紀錄。",
    "各部門須於下次會議前提交本季度統計數據。",
    "由秘書處草擬年度宣傳計劃，下次會議審議。",
    "加強與勞工事務局的聯合巡查，重點為建築及家務工作行業。",
    "同意更新受害人轉介流程圖，並發給各成員部門。",
    "就美國報告的建議成立跨部門工作小組。",
    "要求各部門指定聯絡人負責措施跟進。",
    "Aprovar a tradução portuguesa do guia de identificação de vítimas.",
};

/* The measures: the meeting (months before the upcoming one) that
 * introduced each, its owner, due months after that meeting, and where it
 * stands now. */
static const struct {
    const char *title, *owner;
    int ago, due_months;
    const char *state;
} demo_measures[] = {
    {"加強對外地僱員招聘中介的巡查", "DSAL", 23, 6, "done"},
    {"為前線警員舉辦識別販賣人口受害人培訓", "PJ", 22, 4, "done"},
    {"修訂受害人轉介指引", "IAS", 21, 8, "done"},
    {"設立多語種求助熱線宣傳", "IAS", 19, 6, "done"},
    {"與鄰近地區建立情報交換機制", "PSP", 18, 12, "dropped"},
    {"在娛樂場所開展聯合巡查", "PSP", 16, 6, "done"},
    {"更新庇護中心服務標準", "GSC", 15, 9, "in_progress"},
    {"制定檢察院處理販賣人口案件的內部指引", "MP", 13, 8, "in_progress"},
    {"為醫護人員提供識別指標培訓", "SSM", 11, 6, "done"},
    {"統一勞動剝削個案的統計口徑", "CMTE", 10, 6, "open"},
    {"評估設立受害人補償基金的可行性", "IAS", 9, 4, "dropped"},
    {"在中學推行防範販賣人口宣傳計劃", "CARITAS", 8, 14, "in_progress"},
    {"落實美國報告建議：提高定罪率的措施", "MP", 6, 12, "in_progress"},
    {"建立受害人個案管理電子系統", "CMTE", 5, 10, "open"},
    {"加強網上招聘廣告監察", "PJ", 3, 7, "open"},
    {"制定下年度宣傳活動計劃", "CMTE", 1, 4, "open"},
};

static const char *const progress_notes[] = {
    "已成立工作小組並完成初步規劃。",
    "已與相關部門召開協調會議。",
    "完成首階段工作，正準備下一階段。",
    "因人手調動，進度稍有延誤。",
    "Trabalho em curso; relatório intercalar entregue ao secretariado.",
    "已向委員會提交進度報告。",
};

/* The user who reports for an organisation (the demo's accounts). */
static const char *reporter(const char *org)
{
    static const struct {
        const char *org, *user;
    } map[] = {{"PJ", "investigator"}, {"PSP", "police"},  {"MP", "prosecutor"},
               {"IAS", "caseworker"},  {"GSC", "shelter"}, {"DSAL", "inspector"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i].org, org) == 0)
            return map[i].user;
    return "secretariat";
}

static int64_t user_id(struct store *st, const char *name)
{
    struct user u;
    return store_user_by_name(st, name, &u) == VIGIL_OK ? u.id : 0;
}

static int audit(struct store *st, const char *action, const char *what, int64_t id,
                 const char *detail)
{
    char obj[48];
    snprintf(obj, sizeof obj, "%s:%" PRId64, what, id);
    return audit_append(st, 0, "demo", action, obj, detail);
}

static int add_meetings(struct store *st, const char *today, int64_t secretariat,
                        int64_t meeting_ids[25], char dates[25][11])
{
    int td = 1;
    parse_date(today, NULL, NULL, &td);
    /* the upcoming plenary: this month's when it is still ahead, else next month's */
    int ahead = td < 8 ? 0 : 1;
    int rc = VIGIL_OK;
    for (int k = 24; !rc && k >= 0; k--) { /* k months before the upcoming one */
        int dd = cm_between(8, 14);
        if (k == 1 && ahead == 1 && dd >= td) /* the last one is already held */
            dd = td - 1;
        int64_t day = month_day(today, ahead - k, dd);
        date_of(day, dates[k]);
        const char *state = k == 0 ? "planned" : k == 1 ? "held" : "approved";
        json_t *agenda = json_array(), *att = json_array(), *dec = json_array();
        for (size_t i = 0; i < sizeof agenda_fixed / sizeof agenda_fixed[0]; i++)
            json_array_append_new(agenda, json_string(agenda_fixed[i]));
        json_array_append_new(
            agenda,
            json_string(agenda_extra[cm_rnd() % (sizeof agenda_extra / sizeof agenda_extra[0])]));
        json_array_append_new(agenda, json_string("其他事項 / Outros assuntos"));
        struct {
            char text[512];
        } names = {""};
        for (size_t i = 0; i < sizeof core_orgs / sizeof core_orgs[0]; i++) {
            struct org o;
            if (store_org_by_code(st, core_orgs[i], &o) == VIGIL_OK) {
                json_array_append_new(att, json_integer(o.id));
                size_t used = strlen(names.text);
                snprintf(names.text + used, sizeof names.text - used, "%s%s", used ? "、" : "",
                         o.name_zh);
            }
        }
        for (size_t i = 0; i < sizeof other_orgs / sizeof other_orgs[0]; i++) {
            struct org o;
            if (cm_rnd() % 3 && store_org_by_code(st, other_orgs[i], &o) == VIGIL_OK)
                json_array_append_new(att, json_integer(o.id));
        }
        char minutes[2048] = "";
        if (k > 0) {
            json_array_append_new(dec, json_string(decision_texts[0]));
            json_array_append_new(
                dec, json_string(decision_texts[1 + cm_rnd() % (sizeof decision_texts /
                                                                    sizeof decision_texts[0] -
                                                                1)]));
            snprintf(minutes, sizeof minutes,
                     "會議由委員會主席主持，出席部門包括%s。\n\n"
                     "秘書處匯報了本月的統計數據：新立案件%d宗，較上月%s。"
                     "各成員部門分別匯報了巡查、培訓及宣傳工作。\n\n"
                     "會議檢視了各項措施的落實情況，並就逾期措施要求負責部門於下次會議前提交補充說"
                     "明。\n\n"
                     "A reunião terminou às 17h30.",
                     names.text, cm_between(0, 4), cm_rnd() % 2 ? "略有減少" : "大致持平");
        }
        char title[96];
        int y = 0, m = 0;
        parse_date(dates[k], &y, &m, NULL);
        snprintf(title, sizeof title, "%d年%d月全體會議", y, m);
        json_t *f = json_pack("{s:s, s:s, s:s, s:o, s:s, s:o, s:o}", "held_on", dates[k], "title",
                              title, "state", state, "agenda", agenda, "minutes", minutes,
                              "decisions", dec, "attendee_ids", att);
        int64_t at = day * 86400 - 20 * 86400; /* prepared three weeks ahead */
        rc = f ? store_meeting_add(st, f, secretariat, at, &meeting_ids[k]) : VIGIL_ENOMEM;
        json_decref(f);
        if (!rc)
            rc = audit(st, "meeting.create", "meeting", meeting_ids[k], state);
    }
    return rc;
}

static int add_measures(struct store *st, const char *today, int64_t secretariat,
                        const int64_t meeting_ids[25], char dates[25][11])
{
    int64_t t = day_of(today);
    int rc = VIGIL_OK;
    for (size_t i = 0; !rc && i < sizeof demo_measures / sizeof demo_measures[0]; i++) {
        int k = demo_measures[i].ago;
        int64_t met = day_of(dates[k]);
        char due[11];
        date_of(month_day(dates[k], demo_measures[i].due_months, 28), due);
        json_t *f = json_pack("{s:s, s:I, s:s, s:s, s:s}", "title", demo_measures[i].title,
                              "meeting_id", (json_int_t)meeting_ids[k], "owner",
                              demo_measures[i].owner, "due_on", due, "state", "open");
        int64_t id = 0;
        rc = f ? store_measure_add(st, f, secretariat, met * 86400 + 3600 * 18, &id) : VIGIL_ENOMEM;
        json_decref(f);
        if (!rc)
            rc = audit(st, "measure.create", "measure", id, "open");
        /* its progress, dated between the meeting and today (or its end) */
        const char *final = demo_measures[i].state;
        int64_t end = t - 1;
        int64_t due_day = day_of(due);
        if (strcmp(final, "open") != 0 && strcmp(final, "in_progress") != 0 && due_day - 10 < end)
            end = due_day - cm_between(10, 40);
        int steps = strcmp(final, "open") == 0 ? cm_between(0, 1) : cm_between(2, 3);
        int64_t uid = user_id(st, reporter(demo_measures[i].owner));
        for (int s = 1; !rc && s <= steps; s++) {
            int64_t on = met + (end - met) * s / (steps + 1);
            const char *state = "in_progress";
            if (strcmp(final, "open") == 0)
                state = "open";
            if (s == steps && (strcmp(final, "done") == 0 || strcmp(final, "dropped") == 0))
                on = end, state = final;
            char d[11];
            date_of(on, d);
            const char *note =
                strcmp(state, "done") == 0 ? "措施已全部完成，並向委員會提交總結報告。"
                : strcmp(state, "dropped") == 0 ? "經委員會討論，因條件不成熟，決定不再推行。"
                                                : progress_notes[cm_rnd() % 6];
            int64_t up = 0;
            rc = store_measure_progress(st, id, d, state, note, uid, on * 86400 + 3600 * 10, &up);
            if (!rc)
                rc = audit(st, "measure.progress", "measure", id, state);
        }
    }
    return rc;
}

/* One month's activities; g is the growth factor (1.0 in the first year). */
static int add_month(struct store *st, int y, int m, const char *today, double g, int64_t uid)
{
    static const struct {
        const char *kind, *org;
        const char *titles[3];
    } kinds[] = {
        {"inspection",
         "DSAL",
         {"建築地盤勞動條件巡查", "外地僱員宿舍聯合巡查", "家務工作中介所巡查"}},
        {"inspection", "PSP", {"娛樂場所聯合巡查", "按摩院及桑拿巡查", "酒店及旅館巡查"}},
        {"training",
         "PJ",
         {"識別販賣人口受害人培訓課程", "調查技巧工作坊",
          "Formação sobre identificação de vítimas"}},
        {"training", "IAS", {"個案轉介及受害人支援培訓", "社工危機介入工作坊", "庇護服務人員培訓"}},
        {"awareness",
         "CMTE",
         {"社區防範販賣人口講座", "外地僱員權益宣傳日", "網上宣傳運動 / Campanha em linha"}},
        {"awareness", "CARITAS", {"學校防範宣傳活動", "外地家務工作者聚會宣傳", "教會社區宣傳"}},
    };
    int rc = VIGIL_OK;
    for (size_t k = 0; !rc && k < sizeof kinds / sizeof kinds[0]; k++) {
        /* inspections most months, the rest about every other month */
        int times = strcmp(kinds[k].kind, "inspection") == 0 ? cm_between(1, 2 + (g > 1.3))
                                                             : (int)(cm_rnd() % 100 < 45 * g);
        for (int i = 0; !rc && i < times; i++) {
            char d[11];
            int64_t day = time_days_from_civil(y, m, cm_between(2, 27));
            date_of(day, d);
            if (strcmp(d, today) >= 0)
                continue;
            struct org o;
            if (store_org_by_code(st, kinds[k].org, &o))
                continue;
            json_t *f =
                json_pack("{s:s, s:I, s:s, s:s}", "kind", kinds[k].kind, "org_id", (json_int_t)o.id,
                          "held_on", d, "title", kinds[k].titles[cm_rnd() % 3]);
            if (!f)
                return VIGIL_ENOMEM;
            if (strcmp(kinds[k].kind, "inspection") == 0) {
                json_object_set_new(f, "sites", json_integer((json_int_t)(cm_between(3, 12) * g)));
                json_object_set_new(f, "workers_reached",
                                    json_integer((json_int_t)(cm_between(20, 160) * g)));
            } else if (strcmp(kinds[k].kind, "training") == 0) {
                json_object_set_new(f, "officials_trained",
                                    json_integer((json_int_t)(cm_between(12, 60) * g)));
            } else {
                json_object_set_new(f, "people_reached",
                                    json_integer((json_int_t)(cm_between(150, 2500) * g)));
            }
            int64_t id = 0;
            rc = store_activity_add(st, f, uid, day * 86400 + 3600 * 20, &id);
            json_decref(f);
            if (!rc)
                rc = audit(st, "activity.create", "activity", id, kinds[k].kind);
        }
    }
    return rc;
}

int demo_committee(struct store *st, uint64_t seed, int64_t now)
{
    cm_state = seed ^ 0x636f6d6d6974746eULL; /* its own stream: the cases' stay as they were */
    char today[11];
    time_date(now, today);
    int64_t secretariat = user_id(st, "secretariat");
    int64_t meeting_ids[25] = {0};
    char dates[25][11];
    int rc = store_begin(st);
    if (!rc)
        rc = add_meetings(st, today, secretariat, meeting_ids, dates);
    if (!rc)
        rc = add_measures(st, today, secretariat, meeting_ids, dates);
    int this_year = 2026, this_month = 1;
    parse_date(today, &this_year, &this_month, NULL);
    for (int y = this_year - 9; !rc && y <= this_year; y++)
        for (int m = 1; !rc && m <= 12 && (y < this_year || m <= this_month); m++)
            rc = add_month(st, y, m, today, 1.0 + 0.07 * (y - (this_year - 9)), secretariat);
    if (!rc)
        rc = store_commit(st);
    else
        store_rollback(st);
    return rc;
}
