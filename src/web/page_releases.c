/*
 * The secretariat's release pages: the list of releases with the form that
 * runs one (source, K, L, mode, epsilon and delta), and a release's page with
 * its parameters, its evaluation by combination length, the chart and the
 * download links. The form runs through release_run (api_releases.c), so the
 * page and the API validate, store and audit a release the same way.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "web/form.h"
#include "web/page.h"

static const char *mode_label(struct req *r, const char *mode)
{
    if (strcmp(mode, "aggregates") == 0)
        return T("k-anonymous aggregates");
    if (strcmp(mode, "synthetic") == 0)
        return T("Aggregates and synthetic microdata");
    return T("Differentially private aggregates");
}

/* "Cases in vigil" or the dataset's name. */
static void source_label(struct req *r, const char *source, json_t *datasets)
{
    if (strcmp(source, "cases") == 0) {
        P("%h", T("Cases in vigil"));
        return;
    }
    size_t i;
    json_t *d;
    json_array_foreach(datasets, i, d)
    {
        char key[40];
        snprintf(key, sizeof key, "dataset:%" JSON_INTEGER_FORMAT,
                 json_integer_value(json_object_get(d, "id")));
        if (strcmp(key, source) == 0) {
            P("%h", json_string_value(json_object_get(d, "name")));
            return;
        }
    }
    P("%h", source);
}

static void releases_page(struct req *r, const char *alert)
{
    json_t *list = NULL, *datasets = NULL;
    if (store_release_list(r->st, 200, &list) || store_dataset_list(r->st, &datasets)) {
        json_decref(list);
        json_decref(datasets);
        req_fail(r, VIGIL_ESTORE, NULL, "cannot list releases");
        return;
    }
    json_t *form = r->body && r->status >= 400 ? r->body : NULL;
    const char *v_src = form ? form_str(form, "source") : "cases";
    const char *v_k = form ? form_str(form, "k") : "5";
    const char *v_len = form ? form_str(form, "length") : "2";
    const char *v_mode = form ? form_str(form, "mode") : "synthetic";
    const char *v_eps = form ? form_str(form, "epsilon") : "";
    const char *v_delta = form ? form_str(form, "delta") : "";
    layout_begin(r, T("Statistical releases"), "releases");
    P("<div class=\"head\"><h1>%h</h1></div>", T("Statistical releases"));
    P("<p>%h</p>", T("A release publishes counts of attribute combinations that no small group "
                     "of people can be picked out from, and optionally synthetic records. Cases "
                     "are de-identified first; persons who withdrew their consent to data "
                     "sharing are left out."));
    if (alert)
        P("<div class=\"alert\" role=\"alert\">%h</div>", alert);
    P("<form method=\"post\" action=\"/releases\" class=\"card wide stack\" novalidate>"
      "<h2>%h</h2>",
      T("New release"));
    layout_csrf(r);
    P("<div class=\"field\"><label for=\"f-source\">%h</label><select id=\"f-source\" "
      "name=\"source\"><option value=\"cases\"%s>%h</option>",
      T("Source"), strcmp(v_src, "cases") == 0 ? " selected" : "", T("Cases in vigil"));
    size_t i;
    json_t *d;
    json_array_foreach(datasets, i, d)
    {
        char key[40];
        snprintf(key, sizeof key, "dataset:%" JSON_INTEGER_FORMAT,
                 json_integer_value(json_object_get(d, "id")));
        P("<option value=\"%a\"%s>%h (%D)</option>", key,
          strcmp(v_src, key) == 0 ? " selected" : "", json_string_value(json_object_get(d, "name")),
          (int64_t)json_integer_value(json_object_get(d, "rows_imported")));
    }
    P("</select></div>");
    P("<div class=\"field\"><label for=\"f-k\">%h</label><p class=\"hint\">%h</p>"
      "<input type=\"number\" id=\"f-k\" name=\"k\" min=\"2\" max=\"1000\" value=\"%a\"></div>",
      T("Resolution K"), T("The smallest count that may be published (2 to 1000)."), v_k);
    P("<div class=\"field\"><label for=\"f-length\">%h</label><p class=\"hint\">%h</p>"
      "<input type=\"number\" id=\"f-length\" name=\"length\" min=\"1\" max=\"5\" "
      "value=\"%a\"></div>",
      T("Combination length L"), T("Combinations of 1 to L attributes are counted (1 to 5)."),
      v_len);
    P("<div class=\"field\"><label for=\"f-mode\">%h</label><select id=\"f-mode\" name=\"mode\">",
      T("Mode"));
    static const char *const modes[] = {"aggregates", "synthetic", "dp"};
    for (int m = 0; m < 3; m++)
        P("<option value=\"%a\"%s>%h</option>", modes[m],
          strcmp(v_mode, modes[m]) == 0 ? " selected" : "", mode_label(r, modes[m]));
    P("</select></div>");
    P("<fieldset class=\"group\"><legend>%h</legend><p class=\"hint\">%h</p>"
      "<div class=\"field\"><label for=\"f-epsilon\">%h</label><input type=\"text\" "
      "id=\"f-epsilon\" name=\"epsilon\" inputmode=\"decimal\" value=\"%a\"></div>"
      "<div class=\"field\"><label for=\"f-delta\">%h</label><input type=\"text\" id=\"f-delta\" "
      "name=\"delta\" inputmode=\"decimal\" value=\"%a\" placeholder=\"0.000001\"></div>"
      "</fieldset>",
      T("Differential privacy"),
      T("Only for differentially private aggregates: epsilon above 0 and at most 100 (smaller "
        "is more private), delta above 0 and below 0.01."),
      T("Epsilon"), v_eps, T("Delta"), v_delta);
    P("<div class=\"actions\"><button type=\"submit\" class=\"primary\">%h</button></div></form>",
      T("Run the release"));

    P("<section class=\"card wide\"><h2>%h</h2><div class=\"table-wrap\"><table><thead><tr>"
      "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
      "<th scope=\"col\">K</th><th scope=\"col\">L</th><th scope=\"col\">%h</th>"
      "<th scope=\"col\">%h</th></tr></thead><tbody>",
      T("Releases"), T("Release"), T("Source"), T("Mode"), T("Epsilon"), T("Run by"));
    json_t *x;
    json_array_foreach(list, i, x)
    {
        int64_t id = json_integer_value(json_object_get(x, "id"));
        P("<tr><th scope=\"row\"><a href=\"/releases/%D\">#%D</a> ", id, id);
        put_date(r, json_string_value(json_object_get(x, "created_at")));
        P("</th><td>");
        source_label(r, json_string_value(json_object_get(x, "source")), datasets);
        P("</td><td>%h</td><td>%D</td><td>%D</td><td>",
          mode_label(r, json_string_value(json_object_get(x, "mode"))),
          (int64_t)json_integer_value(json_object_get(x, "k")),
          (int64_t)json_integer_value(json_object_get(x, "length")));
        json_t *e = json_object_get(x, "epsilon");
        if (json_is_number(e)) {
            char num[40];
            snprintf(num, sizeof num, "%g", json_number_value(e));
            P("%h", num);
        } else {
            P("—");
        }
        P("</td><td>%h</td></tr>", json_string_value(json_object_get(x, "created_by")));
    }
    P("</tbody></table></div>");
    if (json_array_size(list) == 0)
        P("<p class=\"empty\">%h</p>", T("No releases yet."));
    P("</section>");
    json_decref(list);
    json_decref(datasets);
    layout_end(r);
}

int page_releases(struct req *r)
{
    releases_page(r, NULL);
    return VIGIL_OK;
}

int page_release_create(struct req *r)
{
    /* the form always sends epsilon and delta; they count only for DP */
    json_t *b = json_deep_copy(r->body);
    if (strcmp(form_str(b, "mode"), "dp") != 0) {
        json_object_del(b, "epsilon");
        json_object_del(b, "delta");
    }
    int64_t id = 0;
    int rc = release_run(r, b, 1, &id);
    json_decref(b);
    if (rc) {
        if (r->status != 400 && r->status != 413)
            return rc;
        char alert[400];
        snprintf(alert, sizeof alert, "%s %s", T("The release was not run:"), r->err_msg);
        releases_page(r, alert);
        return VIGIL_OK;
    }
    char loc[64];
    snprintf(loc, sizeof loc, "/releases/%" PRId64, id);
    return page_redirect(r, loc);
}

static void put_real(struct req *r, json_t *v, const char *fmt)
{
    char num[40];
    if (!json_is_number(v)) {
        P("—");
        return;
    }
    snprintf(num, sizeof num, fmt, json_number_value(v));
    P("%h", num);
}

int page_release(struct req *r)
{
    json_t *x = NULL, *datasets = NULL;
    int rc = store_release_get(r->st, r->id, &x);
    if (rc)
        return req_fail(r, rc, NULL, "no release %" PRId64, r->id);
    if ((rc = store_dataset_list(r->st, &datasets))) {
        json_decref(x);
        return req_fail(r, rc, NULL, "cannot read the datasets");
    }
    const char *mode = json_string_value(json_object_get(x, "mode"));
    char title[80];
    snprintf(title, sizeof title, "%s #%" PRId64, T("Release"), r->id);
    layout_begin(r, title, "releases");
    P("<p class=\"crumbs\"><a href=\"/releases\">%h</a></p><div class=\"head\"><h1>%h</h1></div>",
      T("Statistical releases"), title);
    P("<section class=\"card wide\"><dl class=\"facts\"><dt>%h</dt><dd>", T("Source"));
    source_label(r, json_string_value(json_object_get(x, "source")), datasets);
    P("</dd><dt>%h</dt><dd>%h</dd><dt>%h</dt><dd>%D</dd><dt>%h</dt><dd>%D</dd>", T("Mode"),
      mode_label(r, mode), T("Resolution K"), (int64_t)json_integer_value(json_object_get(x, "k")),
      T("Combination length L"), (int64_t)json_integer_value(json_object_get(x, "length")));
    if (strcmp(mode, "dp") == 0) {
        P("<dt>%h</dt><dd>", T("Epsilon"));
        put_real(r, json_object_get(x, "epsilon"), "%g");
        P("</dd><dt>%h</dt><dd>", T("Delta"));
        put_real(r, json_object_get(x, "delta"), "%g");
        P("</dd>");
    }
    P("<dt>%h</dt><dd>%D</dd><dt>%h</dt><dd>%h ", T("Records in the source"),
      (int64_t)json_integer_value(json_object_get(x, "records")), T("Run by"),
      json_string_value(json_object_get(x, "created_by")));
    put_date(r, json_string_value(json_object_get(x, "created_at")));
    P("</dd></dl></section>");

    json_t *ev = json_object_get(x, "evaluation");
    json_t *pub = json_object_get(ev, "published_by_length");
    json_t *quality = json_object_get(json_object_get(ev, "quality"), "by_length");
    json_t *dp = json_object_get(json_object_get(ev, "dp"), "by_length");
    P("<section class=\"card wide\"><h2>%h</h2><div class=\"table-wrap\"><table "
      "id=\"evaluation\"><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th>",
      T("Evaluation"), T("Length"), T("Published combinations"));
    if (quality)
        P("<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>",
          T("Preservation"), T("Mean proportional error"), T("Leaked combinations"));
    if (dp)
        P("<th scope=\"col\">%h</th><th scope=\"col\">%h</th>", T("Noise (sigma)"), T("Threshold"));
    P("</tr></thead><tbody>");
    size_t i;
    json_t *n;
    json_array_foreach(pub, i, n)
    {
        P("<tr><th scope=\"row\">%z</th><td>%D</td>", i + 1, (int64_t)json_integer_value(n));
        json_t *q = json_array_get(quality, i);
        if (quality) {
            P("<td>");
            put_real(r, json_object_get(q, "preservation"), "%.3f");
            P("</td><td>");
            put_real(r, json_object_get(q, "mean_proportional_error"), "%.3f");
            P("</td><td>%D</td>",
              (int64_t)json_integer_value(json_object_get(q, "leaked_combinations")));
        }
        json_t *dl = json_array_get(dp, i);
        if (dp) {
            P("<td>");
            put_real(r, json_object_get(dl, "sigma"), "%.2f");
            P("</td><td>%D</td>", (int64_t)json_integer_value(json_object_get(dl, "threshold")));
        }
        P("</tr>");
    }
    P("</tbody></table></div>");
    json_t *files = json_object_get(x, "files");
    json_t *f;
    json_array_foreach(files, i, f)
    {
        if (strcmp(json_string_value(json_object_get(f, "name")), "evaluation.svg") == 0)
            P("<figure><img src=\"/api/v1/releases/%D/files/evaluation.svg\" alt=\"%a\" "
              "width=\"640\" height=\"360\"></figure>",
              r->id, T("Preservation and error by combination length"));
    }
    P("</section><section class=\"card wide\"><h2>%h</h2><ul id=\"downloads\">", T("Files"));
    json_array_foreach(files, i, f)
    {
        const char *name = json_string_value(json_object_get(f, "name"));
        P("<li><a href=\"/api/v1/releases/%D/files/%u\" download>%h</a> (%D B)</li>", r->id, name,
          name, (int64_t)json_integer_value(json_object_get(f, "size")));
    }
    P("</ul></section>");
    json_decref(x);
    json_decref(datasets);
    layout_end(r);
    return VIGIL_OK;
}
