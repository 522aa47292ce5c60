module github.com/herokudrain/herokudrain/bench

go 1.26.0

require (
	github.com/heroku/x v0.5.3
	github.com/herokudrain/herokudrain v0.0.0
	github.com/leodido/go-syslog/v4 v4.6.0
)

require github.com/pkg/errors v0.9.1 // indirect

// The repository's own packages come from the working tree, never a
// published version: this module measures the code next to it.
replace github.com/herokudrain/herokudrain => ../
