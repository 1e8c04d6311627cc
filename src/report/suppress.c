/* Small-count suppression; see report/suppress.h. */
#include "report/suppress.h"

size_t stats_suppress(const int64_t *v, size_t n, int k, unsigned char *sup)
{
    size_t marked = 0, hidden = 0;
    if (k <= 1)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (!sup[i] && v[i] >= 1 && v[i] < k) {
            sup[i] = 1;
            marked++;
        }
        hidden += sup[i] != 0;
    }
    if (hidden != 1)
        return marked;
    size_t best = n;
    for (size_t i = 0; i < n; i++)
        if (!sup[i] && v[i] > 0 && (best == n || v[i] < v[best]))
            best = i;
    if (best < n) {
        sup[best] = 1;
        marked++;
    }
    return marked;
}
