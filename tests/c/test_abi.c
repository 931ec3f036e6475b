/*
 * The C ABI from C: built against the committed header, linked to the shared
 * library, run against a live emulator (its base URL is argv[1]) under valgrind.
 * Exits non-zero on the first failed check.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep under -std=c99 */
#include "ges_backups.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int checks = 0;
static int failures = 0;

#define CHECK(cond)                                                       \
  do {                                                                    \
    checks++;                                                             \
    if (!(cond)) {                                                        \
      failures++;                                                         \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                     \
  } while (0)

static char config[512];

static GesClient *new_client(const char *cfg) {
  GesClient *client = NULL;
  GesError *err = ges_client_new(cfg, &client);
  if (err != NULL) {
    fprintf(stderr, "ges_client_new: %s\n", ges_error_message(err));
    ges_error_free(err);
    exit(2);
  }
  return client;
}

static void test_static_facts(void) {
  CHECK(ges_abi_version() == GES_ABI_VERSION);
  CHECK(strlen(ges_version()) > 0);
  CHECK(strcmp(ges_version(), GES_VERSION_STRING) == 0);
  CHECK(strstr(ges_backups_schema_json(), "\"deadline_ms\"") != NULL);
}

static void test_list_samples(void) {
  GesClient *client = new_client(config);
  GesBackupList *list = (GesBackupList *)&checks; /* must be overwritten */
  GesError *err = ges_list_backups(client, NULL, &list);
  CHECK(err == NULL);
  CHECK(list != NULL && list->len == 3 && list->total_count == 3);
  CHECK(list->id != NULL && strlen(list->id) == 32);
  /* Newest first: the sample backup of 2021-06-09 leads. */
  const GesBackup *b = &list->items[0];
  CHECK(strcmp(b->id, "7ed3f51d-816d-4651-9129-fe21b64b5c91") == 0);
  CHECK(strcmp(b->backup_method, "auto") == 0);
  CHECK(strcmp(b->graph_name, "ges060803_nodelete") == 0);
  CHECK(strcmp(b->start_time, "2021-06-09T12:33:24") == 0);
  CHECK(b->start_timestamp == 1623242004000LL);
  CHECK(b->size == 1 && b->duration == 0);
  CHECK(b->encrypted == -1);
  for (size_t i = 0; i + 1 < list->len; i++) {
    CHECK(list->items[i].start_timestamp >= list->items[i + 1].start_timestamp);
  }
  ges_backup_list_free(list);

  list = NULL;
  err = ges_list_backups(client, "{\"backup_method\": \"manual\", \"most_recent\": true}", &list);
  CHECK(err == NULL && list->len == 1);
  CHECK(strcmp(list->items[0].backup_method, "manual") == 0);
  ges_backup_list_free(list);

  list = NULL;
  err = ges_list_backups(client, "{\"offset\": 1, \"limit\": 1}", &list);
  CHECK(err == NULL && list->len == 1 && list->total_count == 3);
  ges_backup_list_free(list);

  char *json = NULL;
  err = ges_list_backups_json(client, "{\"status\": \"success\"}", &json);
  CHECK(err == NULL && json != NULL);
  CHECK(strstr(json, "\"total_count\":3") != NULL);
  CHECK(strstr(json, "\"encrypted\":null") != NULL);
  ges_string_free(json);
  ges_client_free(client);
}

static void test_errors(void) {
  char bad[600];
  snprintf(bad, sizeof bad, "%.*s, \"page_size\": 0}", (int)strlen(config) - 1, config);
  GesClient *client = (GesClient *)&checks;
  GesError *err = ges_client_new(bad, &client);
  CHECK(err != NULL && client == NULL);
  CHECK(ges_error_kind(err) == GES_ERROR_KIND_INVALID_ARGUMENT);
  CHECK(strstr(ges_error_message(err), "page_size") != NULL);
  CHECK(ges_error_http_status(err) == 0 && ges_error_code(err) == NULL);
  ges_error_free(err);

  err = ges_client_new("{\"endpoint\": ", &client);
  CHECK(err != NULL && ges_error_kind(err) == GES_ERROR_KIND_INVALID_ARGUMENT);
  ges_error_free(err);

  err = ges_client_new(config, NULL);
  CHECK(err != NULL && ges_error_kind(err) == GES_ERROR_KIND_INVALID_ARGUMENT);
  ges_error_free(err);

  GesBackupList *list = (GesBackupList *)&checks;
  err = ges_list_backups(NULL, NULL, &list);
  CHECK(err != NULL && list == NULL && ges_error_kind(err) == GES_ERROR_KIND_INVALID_ARGUMENT);
  ges_error_free(err);

  client = new_client(config);
  list = (GesBackupList *)&checks;
  err = ges_list_backups(client, "{\"limit\": 0}", &list);
  CHECK(err != NULL && list == NULL);
  CHECK(strstr(ges_error_message(err), "limit") != NULL);
  ges_error_free(err);

  err = ges_list_backups(client, "{\"name\": \"\xff\"}", &list);
  CHECK(err != NULL && ges_error_kind(err) == GES_ERROR_KIND_INVALID_ARGUMENT);
  ges_error_free(err);
  ges_client_free(client);

  /* Another project: the emulator answers 404 with a GES error body. */
  char other[600];
  snprintf(other, sizeof other, "%.*s, \"project_id\": \"someone-else\"}", (int)strlen(config) - 1, config);
  client = new_client(other);
  list = (GesBackupList *)&checks;
  err = ges_list_backups(client, NULL, &list);
  CHECK(err != NULL && list == NULL);
  CHECK(ges_error_kind(err) == GES_ERROR_KIND_API);
  CHECK(ges_error_http_status(err) == 404);
  CHECK(ges_error_code(err) != NULL && strncmp(ges_error_code(err), "GES.", 4) == 0);
  CHECK(ges_error_request_id(err) != NULL && strlen(ges_error_request_id(err)) == 32);
  ges_error_free(err);
  ges_client_free(client);

  /* NULL everywhere it is allowed. */
  ges_error_free(NULL);
  ges_client_free(NULL);
  ges_backup_list_free(NULL);
  ges_string_free(NULL);
  CHECK(ges_error_message(NULL) != NULL);
}

static void *list_many(void *arg) {
  const GesClient *client = (const GesClient *)arg;
  long ok = 0;
  for (int i = 0; i < 5; i++) {
    GesBackupList *list = NULL;
    GesError *err = ges_list_backups(client, NULL, &list);
    if (err == NULL && list->len == 3) ok++;
    ges_error_free(err);
    ges_backup_list_free(list);
  }
  return (void *)ok;
}

static void test_threads(void) {
  GesClient *client = new_client(config);
  pthread_t threads[8];
  for (int t = 0; t < 8; t++) pthread_create(&threads[t], NULL, list_many, client);
  for (int t = 0; t < 8; t++) {
    void *ok = NULL;
    pthread_join(threads[t], &ok);
    CHECK((long)ok == 5);
  }
  ges_client_free(client);
}

struct log_counts {
  int by_level[5];
};

static void count_line(void *user_data, GesLogLevel level, const char *message) {
  struct log_counts *counts = user_data;
  if (level >= 1 && level <= 4 && message != NULL && strlen(message) > 0) counts->by_level[level]++;
}

/* Contract 1.1: cancellation flags and the logger callback. */
static void test_cancel_and_log(void) {
  GesClient *client = new_client(config);
  struct log_counts counts = {{0}};
  CHECK(ges_client_set_logger(client, count_line, &counts, GES_LOG_LEVEL_DEBUG) == NULL);
  GesError *err = ges_client_set_logger(client, count_line, &counts, 9);
  CHECK(err != NULL && ges_error_kind(err) == GES_ERROR_KIND_INVALID_ARGUMENT);
  ges_error_free(err);

  GesBackupList *list = NULL;
  CHECK(ges_list_backups_cancellable(client, NULL, NULL, &list) == NULL);
  CHECK(list != NULL && list->len == 3);
  ges_backup_list_free(list);
  CHECK(counts.by_level[GES_LOG_LEVEL_DEBUG] == 1 && counts.by_level[GES_LOG_LEVEL_INFO] == 1);

  GesCancel *cancel = ges_cancel_new();
  CHECK(cancel != NULL);
  ges_cancel_request(cancel);
  ges_cancel_request(cancel);
  ges_cancel_request(NULL);
  list = (GesBackupList *)&counts; /* overwritten with NULL on failure */
  err = ges_list_backups_cancellable(client, "{}", cancel, &list);
  CHECK(err != NULL && ges_error_kind(err) == GES_ERROR_KIND_CANCELLED && list == NULL);
  ges_error_free(err);
  char *json = (char *)&counts;
  err = ges_list_backups_json_cancellable(client, NULL, cancel, &json);
  CHECK(err != NULL && ges_error_kind(err) == GES_ERROR_KIND_CANCELLED && json == NULL);
  ges_error_free(err);
  CHECK(counts.by_level[GES_LOG_LEVEL_ERROR] == 2);
  ges_cancel_free(cancel);
  ges_cancel_free(NULL);

  /* An unused flag lets the call run to its end. */
  cancel = ges_cancel_new();
  CHECK(ges_list_backups_json_cancellable(client, NULL, cancel, &json) == NULL && json != NULL);
  ges_string_free(json);
  ges_cancel_free(cancel);
  CHECK(ges_client_set_logger(client, NULL, NULL, GES_LOG_LEVEL_ERROR) == NULL);
  ges_client_free(client);
}

static char slow_config[512];

struct slow_call {
  const GesClient *client;
  const GesCancel *cancel;
  GesErrorKind kind;
};

static void *list_slowly(void *arg) {
  struct slow_call *call = arg;
  GesBackupList *list = NULL;
  GesError *err = ges_list_backups_cancellable(call->client, NULL, call->cancel, &list);
  call->kind = err != NULL ? ges_error_kind(err) : 0;
  ges_error_free(err);
  ges_backup_list_free(list);
  return NULL;
}

static void sleep_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

/* A callback that is slow to return for the lines of the call's work
 * (DEBUG): it tells it started, waits, then writes to its user data. The
 * ERROR line the cancelled call itself returns with is told at once. */
static volatile int slow_started = 0;

static void slow_line(void *user_data, GesLogLevel level, const char *message) {
  struct log_counts *counts = user_data;
  (void)message;
  if (level == GES_LOG_LEVEL_DEBUG) {
    slow_started = 1;
    sleep_ms(300);
  }
  if (level >= 1 && level <= 4) counts->by_level[level]++;
}

/* Contract 1.2: once ges_client_free has returned, or ges_client_set_logger
 * has replaced the logger, the user data may be freed at once, though a
 * cancelled call's work, still winding down, is inside the callback at that
 * moment: both wait for it. valgrind reports a callback that would write to
 * the freed user data after them. */
static void test_user_data_freed_while_work_winds_down(void) {
  for (int replace = 0; replace <= 1; replace++) {
    GesClient *client = new_client(slow_config);
    struct log_counts *counts = calloc(1, sizeof *counts);
    slow_started = 0;
    CHECK(ges_client_set_logger(client, slow_line, counts, GES_LOG_LEVEL_DEBUG) == NULL);
    GesCancel *cancel = ges_cancel_new();
    struct slow_call call = {client, cancel, 0};
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, list_slowly, &call) == 0);
    while (!slow_started) sleep_ms(5); /* the call's work is in the callback */
    ges_cancel_request(cancel);
    pthread_join(thread, NULL); /* the call returns without waiting for its work */
    CHECK(call.kind == GES_ERROR_KIND_CANCELLED);
    if (replace) {
      struct log_counts *other = calloc(1, sizeof *other);
      CHECK(ges_client_set_logger(client, count_line, other, GES_LOG_LEVEL_DEBUG) == NULL);
      free(counts);
      sleep_ms(400);
      CHECK(ges_client_set_logger(client, NULL, NULL, GES_LOG_LEVEL_ERROR) == NULL);
      free(other);
      ges_client_free(client);
    } else {
      ges_client_free(client);
      free(counts);
      sleep_ms(400);
    }
    ges_cancel_free(cancel);
  }
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s EMULATOR_BASE_URL SLOW_EMULATOR_BASE_URL\n", argv[0]);
    return 2;
  }
  snprintf(slow_config, sizeof slow_config,
           "{\"endpoint\": \"%s\", \"project_id\": \"demo-project\", \"auth_token\": \"demo-token\", "
           "\"page_size\": 10, \"max_concurrency\": 2}",
           argv[2]);
  snprintf(config, sizeof config,
           "{\"endpoint\": \"%s\", \"project_id\": \"demo-project\", \"auth_token\": \"demo-token\"}", argv[1]);
  test_static_facts();
  test_list_samples();
  test_errors();
  test_threads();
  test_cancel_and_log();
  test_user_data_freed_while_work_winds_down();
  printf("%d passed, %d failed\n", checks - failures, failures);
  return failures == 0 ? 0 : 1;
}
