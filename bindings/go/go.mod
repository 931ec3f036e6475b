module github.com/ges-backups/ges-backups/bindings/go

go 1.24
