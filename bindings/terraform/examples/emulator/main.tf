# A working configuration against the ges-emulator; see the README:
#
#   ../../../../target/release/ges-emulator --listen 127.0.0.1:8089 --auth-token demo-token &
#   export HW_AUTH_TOKEN=demo-token TF_CLI_CONFIG_FILE=$PWD/dev.tfrc
#   tofu apply -var endpoint=http://127.0.0.1:8089

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
  description = "Base URL of the GES API or of a ges-emulator."
}

variable "project_id" {
  type    = string
  default = "demo-project"
}

# The credentials come from the environment (HW_AUTH_TOKEN, or HW_ACCESS_KEY
# and HW_SECRET_KEY), never from the configuration.
provider "ges" {
  endpoint    = var.endpoint
  project_id  = var.project_id
  max_retries = 2
}

# Every backup, newest first.
data "ges_backups" "all" {}

# The most recent manual backup.
data "ges_backups" "latest_manual" {
  backup_method = "manual"
  most_recent   = true
}

# One graph's backups, by name.
data "ges_backups" "graph" {
  graph_name = "ges060803_nodelete"
  status     = "success"
}

output "all_ids" {
  value = data.ges_backups.all.backups[*].id
}

output "total_count" {
  value = data.ges_backups.all.total_count
}

output "newest" {
  value = data.ges_backups.all.backups[0]
}

output "latest_manual_name" {
  value = one(data.ges_backups.latest_manual.backups[*].name)
}

output "graph_backup_methods" {
  value = data.ges_backups.graph.backups[*].backup_method
}

output "data_source_ids" {
  value = [data.ges_backups.all.id, data.ges_backups.latest_manual.id, data.ges_backups.graph.id]
}
