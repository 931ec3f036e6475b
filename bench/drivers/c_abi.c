/* Contender "ges-backups C ABI, from C": one full listing through ges_list_backups.
 *
 *   c_abi URL PROJECT AK SK [warmup|serve]
 *
 * Prints one JSON object: backups listed, wall and process CPU seconds of the
 * listing, RSS before it and the process's peak RSS (KiB). With "warmup", a first
 * listing on another client runs before the measured one (code paths and the
 * allocator warm, connections not). With "serve", see serve(). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ges_backups.h"

static double seconds(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv(struct timeval t) { return (double)t.tv_sec + (double)t.tv_usec / 1e6; }

static long rss_kib(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  long pages = 0, resident = 0;
  if (f) {
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    fclose(f);
  }
  return resident * 4;
}

static GesClient *client(const char *config) {
  GesClient *c = NULL;
  GesError *err = ges_client_new(config, &c);
  if (err) {
    fprintf(stderr, "ges_client_new: %s\n", ges_error_message(err));
    exit(1);
  }
  return c;
}

static size_t list_all(GesClient *c) {
  GesBackupList *list = NULL;
  GesError *err = ges_list_backups(c, "{}", &list);
  if (err) {
    fprintf(stderr, "ges_list_backups: %s\n", ges_error_message(err));
    exit(1);
  }
  size_t len = list->len;
  ges_backup_list_free(list);
  return len;
}

/* W1 in one process (bench/README.md): one client; each "list" line on stdin
 * lists everything once on it and prints the listing's count, wall time and the
 * process's CPU clock (every thread) at its start and end; the list is freed
 * inside the timed span. "end" or EOF prints the CPU clock and the peak RSS. */
static int serve(GesClient *c) {
  char line[64];
  while (fgets(line, sizeof line, stdin) && strcmp(line, "list\n") == 0) {
    double cpu0 = seconds(CLOCK_PROCESS_CPUTIME_ID), wall0 = seconds(CLOCK_MONOTONIC);
    size_t count = list_all(c);
    double wall = seconds(CLOCK_MONOTONIC) - wall0, cpu1 = seconds(CLOCK_PROCESS_CPUTIME_ID);
    printf("{\"count\": %zu, \"wall_s\": %.6f, \"cpu_start_s\": %.6f, \"cpu_end_s\": %.6f}\n", count, wall,
           cpu0, cpu1);
    fflush(stdout);
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("{\"cpu_s\": %.6f, \"peak_rss_kib\": %ld}\n", seconds(CLOCK_PROCESS_CPUTIME_ID), ru.ru_maxrss);
  ges_client_free(c);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: c_abi URL PROJECT AK SK [warmup|serve]\n");
    return 2;
  }
  /* BENCH_MAX_CONCURRENCY: the harness's W2 row with more pages in flight than the default. */
  const char *concurrency = getenv("BENCH_MAX_CONCURRENCY");
  char extra[64] = "";
  if (concurrency) snprintf(extra, sizeof extra, ", \"max_concurrency\": %d", atoi(concurrency));
  char config[2048];
  snprintf(config, sizeof config,
           "{\"endpoint\": \"%s\", \"project_id\": \"%s\", \"access_key\": \"%s\", \"secret_key\": \"%s\"%s}",
           argv[1], argv[2], argv[3], argv[4], extra);
  if (argc > 5 && strcmp(argv[5], "serve") == 0) return serve(client(config));
  if (argc > 5 && strcmp(argv[5], "warmup") == 0) {
    GesClient *w = client(config);
    list_all(w);
    ges_client_free(w);
  }
  GesClient *c = client(config);
  long rss_before = rss_kib();
  struct rusage ru0, ru;
  getrusage(RUSAGE_SELF, &ru0);
  double wall0 = seconds(CLOCK_MONOTONIC), cpu0 = seconds(CLOCK_PROCESS_CPUTIME_ID);
  GesBackupList *list = NULL;
  GesError *err = ges_list_backups(c, "{}", &list);
  double wall = seconds(CLOCK_MONOTONIC) - wall0, cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
  if (err) {
    fprintf(stderr, "ges_list_backups: %s\n", ges_error_message(err));
    return 1;
  }
  getrusage(RUSAGE_SELF, &ru);
  printf("{\"count\": %zu, \"wall_s\": %.6f, \"cpu_s\": %.6f, \"user_s\": %.6f, \"sys_s\": %.6f, "
         "\"minor_faults\": %ld, \"rss_before_kib\": %ld, \"peak_rss_kib\": %ld}\n",
         list->len, wall, cpu, tv(ru.ru_utime) - tv(ru0.ru_utime), tv(ru.ru_stime) - tv(ru0.ru_stime),
         ru.ru_minflt - ru0.ru_minflt, rss_before, ru.ru_maxrss);
  ges_backup_list_free(list);
  ges_client_free(c);
  return 0;
}
