/* W5: THREADS threads each list LISTINGS times, on one shared client or on a
 * client each.
 *
 *   c_shared URL PROJECT AK SK THREADS LISTINGS shared|separate|shared-N
 *
 * shared-N: one shared client with max_connections N (the others: the default).
 *
 * Prints one JSON object: backups listed in all, wall seconds of the whole run,
 * the process's peak RSS (KiB). */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ges_backups.h"

struct worker {
  GesClient *client;
  int listings;
  size_t listed;
};

static void *run(void *arg) {
  struct worker *w = arg;
  for (int i = 0; i < w->listings; i++) {
    GesBackupList *list = NULL;
    GesError *err = ges_list_backups(w->client, "{}", &list);
    if (err) {
      fprintf(stderr, "ges_list_backups: %s\n", ges_error_message(err));
      exit(1);
    }
    w->listed += list->len;
    ges_backup_list_free(list);
  }
  return NULL;
}

static GesClient *new_client(const char *config) {
  GesClient *c = NULL;
  GesError *err = ges_client_new(config, &c);
  if (err) {
    fprintf(stderr, "ges_client_new: %s\n", ges_error_message(err));
    exit(1);
  }
  return c;
}

int main(int argc, char **argv) {
  if (argc != 8) {
    fprintf(stderr, "usage: c_shared URL PROJECT AK SK THREADS LISTINGS shared|separate|shared-N\n");
    return 2;
  }
  int threads = atoi(argv[5]), listings = atoi(argv[6]);
  int shared = strncmp(argv[7], "shared", 6) == 0;
  int max_connections = strncmp(argv[7], "shared-", 7) == 0 ? atoi(argv[7] + 7) : 0;
  if (threads < 1 || threads > 1024 || listings < 1 || max_connections < 0) return 2;
  char bound[64] = "";
  if (max_connections) snprintf(bound, sizeof bound, ", \"max_connections\": %d", max_connections);
  char config[2048];
  snprintf(config, sizeof config,
           "{\"endpoint\": \"%s\", \"project_id\": \"%s\", \"access_key\": \"%s\", \"secret_key\": \"%s\"%s}",
           argv[1], argv[2], argv[3], argv[4], bound);
  struct worker *workers = calloc((size_t)threads, sizeof *workers);
  pthread_t *ids = calloc((size_t)threads, sizeof *ids);
  GesClient *one = shared ? new_client(config) : NULL;
  for (int i = 0; i < threads; i++) {
    workers[i].client = shared ? one : new_client(config);
    workers[i].listings = listings;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int i = 0; i < threads; i++) pthread_create(&ids[i], NULL, run, &workers[i]);
  size_t listed = 0;
  for (int i = 0; i < threads; i++) {
    pthread_join(ids[i], NULL);
    listed += workers[i].listed;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("{\"count\": %zu, \"wall_s\": %.6f, \"peak_rss_kib\": %ld}\n", listed,
         (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, ru.ru_maxrss);
  for (int i = 0; i < threads; i++)
    if (!shared) ges_client_free(workers[i].client);
  ges_client_free(one);
  free(workers);
  free(ids);
  return 0;
}
