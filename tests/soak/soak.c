/*
 * Soak: THREADS threads share one GesClient and each runs LISTINGS full listings
 * while the emulator fails a share of the requests (tests/soak/run.sh scripts
 * that). Every call must return exactly the expected list or a clean error
 * (TRANSPORT or API, *out NULL, a message); at least MIN_SUCCESS percent must
 * succeed; resident memory and open file descriptors, measured once the first
 * tenth of the listings has warmed the client up and again at the end, must
 * stay flat. Prints the figures; exits non-zero when a check fails.
 *
 *   soak URL EXPECTED_IDS_FILE THREADS LISTINGS [MIN_SUCCESS [MAX_RSS_GROWTH_KB [MAX_IDLE_FDS]]]
 *
 * MAX_RSS_GROWTH_KB bounds the growth from after warm-up to the end. Open fds are
 * bounded rather than compared: at rest, between rounds, the client may hold at
 * most its pool of idle keep-alive connections (max_connections, 8 here) over
 * what the process had before it; after ges_client_free, none.
 */
#include "ges_backups.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char **expected;
static size_t expected_len;
static const GesClient *client;

typedef struct {
  int listings;
  long exact, wrong, transport, api, other;
  char first_other[256];
} Tally;

static long rss_kb(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  while (f && fgets(line, sizeof line, f))
    if (strncmp(line, "VmRSS:", 6) == 0) kb = strtol(line + 6, NULL, 10);
  if (f) fclose(f);
  return kb;
}

static int open_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  int n = 0;
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL)
    if (e->d_name[0] != '.') n++;
  if (d) closedir(d);
  return n - 1; /* the directory stream's own descriptor */
}

static int same_as_expected(const GesBackupList *list) {
  if (list->len != expected_len || list->total_count != (int64_t)expected_len) return 0;
  for (size_t i = 0; i < list->len; i++)
    if (list->items[i].id == NULL || strcmp(list->items[i].id, expected[i]) != 0) return 0;
  return 1;
}

static void *worker(void *arg) {
  Tally *t = (Tally *)arg;
  for (int i = 0; i < t->listings; i++) {
    GesBackupList *list = (GesBackupList *)t; /* must be overwritten */
    GesError *err = ges_list_backups(client, NULL, &list);
    if (err == NULL) {
      if (list != NULL && same_as_expected(list)) t->exact++;
      else t->wrong++;
      ges_backup_list_free(list);
      continue;
    }
    GesErrorKind kind = ges_error_kind(err);
    const char *message = ges_error_message(err);
    int clean = list == NULL && message != NULL && message[0] != '\0';
    if (clean && kind == GES_ERROR_KIND_TRANSPORT) t->transport++;
    else if (clean && kind == GES_ERROR_KIND_API) t->api++;
    else {
      if (t->other == 0)
        snprintf(t->first_other, sizeof t->first_other, "kind %d: %s", (int)kind, message ? message : "(null)");
      t->other++;
    }
    ges_error_free(err);
  }
  return NULL;
}

static void run_round(int threads, int listings, Tally *total) {
  pthread_t *ids = calloc((size_t)threads, sizeof *ids);
  Tally *tallies = calloc((size_t)threads, sizeof *tallies);
  for (int i = 0; i < threads; i++) {
    tallies[i].listings = listings;
    pthread_create(&ids[i], NULL, worker, &tallies[i]);
  }
  for (int i = 0; i < threads; i++) {
    pthread_join(ids[i], NULL);
    total->exact += tallies[i].exact;
    total->wrong += tallies[i].wrong;
    total->transport += tallies[i].transport;
    total->api += tallies[i].api;
    if (tallies[i].other && !total->other) strcpy(total->first_other, tallies[i].first_other);
    total->other += tallies[i].other;
  }
  free(ids);
  free(tallies);
}

static void read_expected(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) { perror(path); exit(2); }
  char line[256];
  size_t cap = 1024;
  expected = malloc(cap * sizeof *expected);
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = '\0';
    if (!line[0]) continue;
    if (expected_len == cap) expected = realloc(expected, (cap *= 2) * sizeof *expected);
    expected[expected_len++] = strdup(line);
  }
  fclose(f);
}

static double seconds_since(const struct timespec *start) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: %s URL EXPECTED_IDS_FILE THREADS LISTINGS [MIN_SUCCESS [MAX_RSS_GROWTH_KB [MAX_IDLE_FDS]]]\n", argv[0]);
    return 2;
  }
  read_expected(argv[2]);
  int threads = atoi(argv[3]), listings = atoi(argv[4]);
  double min_success = argc > 5 ? atof(argv[5]) : 95.0;
  long max_rss_growth = argc > 6 ? atol(argv[6]) : 4096;
  int max_idle_fds = argc > 7 ? atoi(argv[7]) : 8;
  int warmup = listings / 10 > 0 ? listings / 10 : 1;

  char config[512];
  snprintf(config, sizeof config,
           "{\"endpoint\": \"%s\", \"project_id\": \"demo-project\", \"auth_token\": \"soak\", "
           "\"page_size\": 100, \"max_retries\": 3, \"timeout_ms\": 10000, \"max_connections\": 8}", argv[1]);
  GesClient *owned = NULL;
  GesError *err = ges_client_new(config, &owned);
  if (err) { fprintf(stderr, "ges_client_new: %s\n", ges_error_message(err)); return 2; }
  client = owned;

  long rss_start = rss_kb();
  int fds_start = open_fds();
  struct timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  Tally total;
  memset(&total, 0, sizeof total);
  run_round(threads, warmup, &total);
  long rss_warm = rss_kb();
  int fds_warm = open_fds();
  int half = (listings - warmup) / 2;
  run_round(threads, half, &total);
  long rss_mid = rss_kb();
  int fds_mid = open_fds();
  run_round(threads, listings - warmup - half, &total);
  long rss_end = rss_kb();
  int fds_end = open_fds();
  double elapsed = seconds_since(&start);
  ges_client_free(owned);
  int fds_freed = open_fds();

  long calls = total.exact + total.wrong + total.transport + total.api + total.other;
  double success = 100.0 * (double)total.exact / (double)calls;
  printf("soak: %d threads x %d listings of %zu backups on one client in %.1f s\n", threads, listings,
         expected_len, elapsed);
  printf("soak: %ld exact lists (%.2f%%), %ld wrong lists, %ld transport errors, %ld api errors, %ld other\n",
         total.exact, success, total.wrong, total.transport, total.api, total.other);
  printf("soak: resident memory %ld kB at start, %ld kB after warm-up (%d listings), %ld kB half-way, "
         "%ld kB at the end (%+ld kB since warm-up)\n",
         rss_start, rss_warm, threads * warmup, rss_mid, rss_end, rss_end - rss_warm);
  printf("soak: open fds %d at start, %d after warm-up, %d half-way, %d at the end, %d after ges_client_free\n",
         fds_start, fds_warm, fds_mid, fds_end, fds_freed);

  int failed = 0;
  if (total.wrong) { fprintf(stderr, "FAIL: %ld calls returned a list that is not the service's\n", total.wrong); failed = 1; }
  if (total.other) { fprintf(stderr, "FAIL: %ld errors that are not clean, first %s\n", total.other, total.first_other); failed = 1; }
  if (success < min_success) { fprintf(stderr, "FAIL: %.2f%% succeeded, below %.1f%%\n", success, min_success); failed = 1; }
  if (rss_end - rss_warm > max_rss_growth) {
    fprintf(stderr, "FAIL: resident memory grew by %ld kB after warm-up (limit %ld)\n", rss_end - rss_warm, max_rss_growth);
    failed = 1;
  }
  int fds_most = fds_warm > fds_mid ? fds_warm : fds_mid;
  if (fds_end > fds_most) fds_most = fds_end;
  if (fds_most - fds_start > max_idle_fds) {
    fprintf(stderr, "FAIL: %d fds open at rest beyond the %d at start (limit %d)\n", fds_most - fds_start,
            fds_start, max_idle_fds);
    failed = 1;
  }
  if (fds_freed > fds_start) {
    fprintf(stderr, "FAIL: %d fds still open after ges_client_free (%d at start)\n", fds_freed, fds_start);
    failed = 1;
  }
  printf("soak: %s\n", failed ? "FAILED" : "passed");
  return failed;
}
