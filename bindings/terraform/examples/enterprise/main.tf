# Agencies and OIDC federation against the ges-emulator, whose IAM and STS
# are configured by cloud.json (see the README):
#
#   GES_EMULATOR_SECRET_KEY=demo-secret-key ../../../../target/release/ges-emulator \
#     --listen 127.0.0.1:8089 --access-key DEMOACCESSKEY --cloud-config cloud.json &
#   printf demo-id-token > /tmp/id-token
#   export TF_CLI_CONFIG_FILE=/path/to/dev.tfrc    # a copy of ../emulator/dev.tfrc.example
#   export TF_VAR_secret_key=demo-secret-key
#   tofu apply -var endpoint=http://127.0.0.1:8089 -var access_key=DEMOACCESSKEY -var id_token_file=/tmp/id-token

terraform {
  required_providers {
    ges = {
      source  = "ges-backups/ges"
      version = "~> 0.2"
    }
  }
}

variable "endpoint" {
  type        = string
  description = "Base URL of the GES and IAM APIs, or of a ges-emulator."
}

variable "access_key" {
  type = string
}

variable "secret_key" {
  type      = string
  sensitive = true
}

variable "id_token_file" {
  type        = string
  description = "File holding the CI system's OIDC ID token."
}

# The keys are exchanged for the temporary credentials of the agency "ops"
# of the account "acme", and those for "audit"'s, which trusts only ops.
provider "ges" {
  alias        = "agency"
  endpoint     = var.endpoint
  iam_endpoint = var.endpoint
  project_id   = "demo-project"
  access_key   = var.access_key
  secret_key   = var.secret_key

  assume_role {
    agency_name = "ops"
    domain_name = "acme"
  }
  assume_role {
    agency_name = "audit"
    domain_name = "acme"
    duration    = 900
  }
}

# The ID token of the identity provider "ci" is exchanged for temporary
# credentials, with which the agency "deployer" of the account d-acme is
# assumed. No key is configured.
provider "ges" {
  alias        = "oidc"
  endpoint     = var.endpoint
  iam_endpoint = var.endpoint
  project_id   = "demo-project"

  assume_role_with_oidc {
    idp_id        = "ci"
    id_token_file = var.id_token_file
    agency_name   = "deployer"
    domain_id     = "d-acme"
  }
}

data "ges_backups" "by_agency" {
  provider = ges.agency
}

data "ges_backups" "by_oidc" {
  provider = ges.oidc
}

output "by_agency" {
  value = data.ges_backups.by_agency.backups[*].id
}

output "by_oidc" {
  value = data.ges_backups.by_oidc.backups[*].id
}
