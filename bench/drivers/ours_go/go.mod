module ges-backups/bench/ours-go

go 1.24

require ges-backups/bench/gomeasure v0.0.0

require github.com/ges-backups/ges-backups/bindings/go v0.0.0

replace github.com/ges-backups/ges-backups/bindings/go => ../../../bindings/go

// The measuring code both Go drivers share.
replace ges-backups/bench/gomeasure => ../gomeasure
