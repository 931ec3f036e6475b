terraform {
  required_providers {
    ges = {
      source  = "ges-backups/ges"
      version = "~> 0.2"
    }
  }
}

# Every attribute is optional and falls back to its environment variable:
# HW_REGION_NAME, HW_ACCESS_KEY, HW_SECRET_KEY, ... Keep secrets out of the
# configuration (see Authentication). The project id is looked up by region
# when no source gives it.
provider "ges" {
  region = "cn-north-4"
}
