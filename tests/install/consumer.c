/* A C program as a user outside this repository writes it: it knows only an
 * installed prefix, found through pkg-config. It checks the header's version
 * macros against the library it loaded, then lists backups from the emulator
 * whose URL it is given. */
#include <ges_backups.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: consumer EMULATOR_URL\n");
    return 2;
  }
  if (ges_abi_version() != GES_ABI_VERSION) {
    fprintf(stderr, "ABI %u loaded, header says %d\n", ges_abi_version(), GES_ABI_VERSION);
    return 1;
  }
#ifdef GES_VERSION_STRING
  if (strcmp(ges_version(), GES_VERSION_STRING) != 0) {
    fprintf(stderr, "library %s, header %s\n", ges_version(), GES_VERSION_STRING);
    return 1;
  }
#endif
  char config[512];
  snprintf(config, sizeof config,
           "{\"endpoint\": \"%s\", \"project_id\": \"demo-project\", \"auth_token\": \"t\"}", argv[1]);
  GesClient *client = NULL;
  GesError *err = ges_client_new(config, &client);
  if (err) {
    fprintf(stderr, "ges_client_new: %s\n", ges_error_message(err));
    ges_error_free(err);
    return 1;
  }
  GesBackupList *list = NULL;
  err = ges_list_backups(client, NULL, &list);
  if (err) {
    fprintf(stderr, "ges_list_backups: %s\n", ges_error_message(err));
    ges_error_free(err);
    ges_client_free(client);
    return 1;
  }
  printf("version %s, %zu backups, first %s\n", ges_version(), list->len,
         list->len ? list->items[0].id : "-");
  ges_backup_list_free(list);
  ges_client_free(client);
  return 0;
}
