terraform {
  required_providers {
    ges = {
      source = "ges-backups/ges"
    }
  }
}

# Every attribute is optional and falls back to its environment variable:
# HW_REGION_NAME, HW_PROJECT_ID, HW_ACCESS_KEY, HW_SECRET_KEY, ...
# Keep secrets out of the configuration: export HW_ACCESS_KEY and
# HW_SECRET_KEY (or HW_AUTH_TOKEN) instead.
provider "ges" {
  region     = "cn-north-4"
  project_id = "0123456789abcdef0123456789abcdef"
}
