module ges-backups/bench/ours-go

go 1.25.0

require ges-backups/bench/gomeasure v0.0.0

require github.com/ges-backups/ges-backups/bindings/go v0.0.0

require github.com/ebitengine/purego v0.11.3 // indirect

replace github.com/ges-backups/ges-backups/bindings/go => ../../../bindings/go

// The measuring code both Go drivers share.
replace ges-backups/bench/gomeasure => ../gomeasure
