# Every backup of the project, newest first.
data "ges_backups" "all" {}

# The latest successful manual backup of one graph, read within 2 minutes.
data "ges_backups" "latest" {
  graph_name    = "my-graph"
  backup_method = "manual"
  status        = "success"
  most_recent   = true

  timeouts {
    read = "2m"
  }
}

output "latest_backup_id" {
  value = one(data.ges_backups.latest.backups[*].id)
}

output "backup_names" {
  value = data.ges_backups.all.backups[*].name
}
