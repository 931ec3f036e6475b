module ges-backups/bench/gomeasure

go 1.24
