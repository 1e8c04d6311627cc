/*
 * Small-count suppression for the committee's statistics (report/stats.h):
 * the rule on one set of cells, exposed so that it can be tested alone.
 */
#ifndef VIGIL_SUPPRESS_H
#define VIGIL_SUPPRESS_H

#include <stddef.h>
#include <stdint.h>

/* Suppress in the n counts v, a set of cells whose sum (or union) is or may
 * be published: every count from 1 to k-1 (primary), and, when that leaves
 * exactly one suppressed cell in the set, also the smallest non-zero count
 * not yet suppressed (secondary; the first of equal ones), so that the total
 * cannot give the hidden one back. Zero is never suppressed. sup[i] is set
 * to 1 for a suppressed cell; cells already marked count as suppressed.
 * Returns how many cells this call marked. k <= 1 marks nothing. */
size_t stats_suppress(const int64_t *v, size_t n, int k, unsigned char *sup);

#endif
