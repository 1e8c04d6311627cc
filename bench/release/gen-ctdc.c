/*
 * Generator of CTDC-shaped benchmark data for `vigil release`: the terms-of-
 * use column, then 27 attributes (6 categorical, 21 flags), ';'-separated.
 * "sparse" leaves most flags empty or 0 (about 7.5 items a row with zeros
 * dropped); "dense" fills nearly every cell and is meant to be released with
 * every flag in --keep-zeros (about 26 items a row). Values follow skewed,
 * correlated distributions (a latent exploitation profile drives the flags)
 * so that combinations repeat the way they do in the real data.
 *
 *   gen-ctdc sparse|dense ROWS [SEED] > FILE
 *
 * With -k instead, prints the --keep-zeros list for dense data (every flag):
 *   gen-ctdc -k
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *flags[21] = {"meansOfControlDebtBondage",
                                "meansOfControlTakesEarnings",
                                "meansOfControlRestrictsFinancialAccess",
                                "meansOfControlThreats",
                                "meansOfControlPsychologicalAbuse",
                                "meansOfControlPhysicalAbuse",
                                "meansOfControlSexualAbuse",
                                "meansOfControlFalsePromises",
                                "meansOfControlPsychoactiveSubstances",
                                "meansOfControlRestrictsMovement",
                                "meansOfControlRestrictsMedicalCare",
                                "meansOfControlExcessiveWorkingHours",
                                "meansOfControlUsesChildren",
                                "meansOfControlThreatOfLawEnforcement",
                                "meansOfControlWithholdsNecessities",
                                "meansOfControlWithholdsDocuments",
                                "isForcedLabour",
                                "isSexualExploit",
                                "isOtherExploit",
                                "isAbduction",
                                "recruiterRelationFamily"};

static const char *sources[] = {"Case Management", "Hotline", "Survey"};
static const char *genders[] = {"Female", "Male", "Transgender/NonConforming"};
static const char *ages[] = {"0--8",   "9--17",  "18--20", "21--23", "24--26",
                             "27--29", "30--38", "39--47", "48+"};
static const char *countries[] = {"PH", "UA", "MD", "US", "ID", "KH", "MM", "BY", "RO", "HT",
                                  "BG", "NG", "VN", "TH", "NP", "LK", "GH", "KG", "UZ", "AF",
                                  "BD", "CO", "ER", "ET", "KE", "LA", "MX", "PK", "SN", "UG"};

static uint64_t s[2];

static uint64_t next(void)
{
    uint64_t a = s[0], b = s[1], r = a + b;
    b ^= a;
    s[0] = ((a << 55) | (a >> 9)) ^ b ^ (b << 14);
    s[1] = (b << 36) | (b >> 28);
    return r;
}

static double unif(void)
{
    return (double)(next() >> 11) / 9007199254740992.0;
}

/* Zipf-like choice among n values (index 0 most common). */
static int zipf(int n, double skew)
{
    double u = unif(), tot = 0, acc = 0;
    for (int i = 0; i < n; i++)
        tot += 1.0 / (1.0 + i * skew);
    for (int i = 0; i < n; i++) {
        acc += 1.0 / (1.0 + i * skew) / tot;
        if (u < acc)
            return i;
    }
    return n - 1;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "-k") == 0) {
        for (int i = 0; i < 21; i++)
            printf("%s%s", i ? "," : "", flags[i]);
        printf("\n");
        return 0;
    }
    if (argc < 3 || (strcmp(argv[1], "sparse") != 0 && strcmp(argv[1], "dense") != 0)) {
        fprintf(stderr, "usage: gen-ctdc sparse|dense ROWS [SEED] > FILE | gen-ctdc -k\n");
        return 2;
    }
    int dense = strcmp(argv[1], "dense") == 0;
    char *end;
    long rows = strtol(argv[2], &end, 10);
    if (*end || rows < 0) {
        fprintf(stderr, "gen-ctdc: bad ROWS '%s'\n", argv[2]);
        return 2;
    }
    uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 42;
    s[0] = seed * 0x9e3779b97f4a7c15ULL + 1;
    s[1] = seed ^ 0xd1b54a32d192ed03ULL;
    for (int i = 0; i < 8; i++)
        next();
    printf("By using this data you agree to the Terms of Use: "
           "https://www.ctdatacollaborative.org/terms-use;yearOfRegistration;Datasource;gender;"
           "ageBroad;citizenship;CountryOfExploitation");
    for (int i = 0; i < 21; i++)
        printf(";%s", flags[i]);
    printf("\n");
    /* per-profile probability that each flag is 1 */
    double p1[3][21];
    for (int pr = 0; pr < 3; pr++)
        for (int i = 0; i < 21; i++) {
            uint64_t h = (uint64_t)(pr * 31 + i) * 0x9e3779b97f4a7c15ULL;
            double base = (double)((h >> 40) % 1000) / 1000.0;
            p1[pr][i] = dense ? 0.05 + 0.6 * base * base : 0.02 + 0.3 * base * base * base;
        }
    double present = dense ? 0.9 : 0.8;
    for (long r = 0; r < rows; r++) {
        int pr = zipf(3, 1.5); /* 0 sexual, 1 labour, 2 other */
        putchar(';');
        if (unif() < present)
            printf("%d", 2021 - zipf(20, 0.7));
        putchar(';');
        if (unif() < present)
            fputs(sources[zipf(3, 1.0)], stdout);
        putchar(';');
        if (unif() < present)
            fputs(genders[pr == 1 ? zipf(3, 0.3) : zipf(3, 3.0)], stdout);
        putchar(';');
        if (unif() < present)
            fputs(ages[zipf(9, 0.8)], stdout);
        int c = zipf(30, 1.2);
        putchar(';');
        if (unif() < present)
            fputs(countries[c], stdout);
        putchar(';');
        if (unif() < present)
            fputs(countries[unif() < 0.5 ? c : zipf(30, 2.0)], stdout);
        for (int i = 0; i < 21; i++) {
            putchar(';');
            int one = unif() < p1[pr][i];
            if (dense)
                putchar(one ? '1' : '0');
            else if (one)
                putchar('1');
            else if (unif() < 0.5)
                putchar('0');
        }
        putchar('\n');
    }
    return 0;
}
